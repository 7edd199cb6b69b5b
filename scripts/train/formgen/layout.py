"""Composes form pages: ruled field grids, option lists, tables with checkbox columns, header bars."""
import functools

from PIL import Image, ImageDraw, ImageFont

from . import fonts as F
from .marks import box_style, draw_badge, draw_box, draw_fill, draw_lookalike, draw_radio
from .pen import tick_beside
from .words import field_label, option_label, question, sentence, typed_value

EMPTY, FILLED = 0, 1
# Share of option slots drawn as a look-alike, and of option runs drawn as a radio group (no checkbox at all);
# generate.py's --lookalike-rate / --radio-rows set them before the workers fork. The radio rows draw from the
# page's random stream only when enabled, so pages generated before they existed stay as they were. Badge pages
# (generate.py --badge-pages) set numbered section headings with dark badges beside web-style filled boxes (a dark
# square with a white tick): the two differ only in the white glyph, which the model must learn to read.
SETTINGS = {"lookalike_rate": 0.06, "radio_rows": 0.0, "badge_pages": 0.0}
DARK_SOLIDS = [(0, 0, 0), (17, 17, 17), (33, 33, 33), (60, 60, 60), (85, 85, 85), (13, 110, 253), (63, 81, 181)]


@functools.lru_cache(maxsize=512)
def font(path, size):
    return ImageFont.truetype(path, max(6, int(size)))


class Page:
    def __init__(self, rng, width, height, row_h):
        self.rng = rng
        self.w, self.h = width, height
        tint = int(rng.integers(238, 256))
        self.img = Image.new("RGB", (width, height), (tint, tint, max(225, tint - int(rng.integers(0, 12)))))
        self.draw = ImageDraw.Draw(self.img)
        self.labels = []  # (cls, x1, y1, x2, y2) in pixels
        all_fonts = F.text_fonts()
        self.fonts = all_fonts
        self.label_font = all_fonts[rng.integers(len(all_fonts))]
        self.value_font = all_fonts[rng.integers(len(all_fonts))]
        self.row_h = row_h
        self.style = box_style(rng)
        self.fill_rate = float(rng.uniform(0.15, 0.6))
        self.rule = int(rng.choice([1, 1, 1, 2]))
        self.caps = rng.random() < 0.2
        self.badges = SETTINGS["badge_pages"] > 0 and rng.random() < SETTINGS["badge_pages"]
        if self.badges and rng.random() < 0.7:
            self.style["solid_colour"] = DARK_SOLIDS[rng.integers(len(DARK_SOLIDS))]

    # -- primitives -------------------------------------------------------
    def text(self, x, y, s, size, path=None, fill=(0, 0, 0), bold=False):
        f = font(path or self.label_font, size)
        if self.caps and path is None:
            s = s.upper()
        self.draw.text((x, y), s, font=f, fill=fill, stroke_width=1 if bold and size > 14 else 0, stroke_fill=fill)
        return self.draw.textlength(s, font=f)

    def checkbox(self, x, y, s, state=None):
        if state is None:
            state = FILLED if self.rng.random() < self.fill_rate else EMPTY
        x, y, s = int(x), int(y), int(s)
        x1, y1, x2, y2 = draw_box(self.draw, x, y, s, self.style)
        if state == FILLED:
            draw_fill(self.draw, self.rng, x, y, s, self.style, self.fonts)
        elif self.style["hand"] and self.rng.random() < 0.06:
            tick_beside(self.draw, self.rng, x, y, s)
        pad = 1 if self.rng.random() < 0.7 else 0
        self.labels.append((state, x1 - pad, y1 - pad, x2 + pad, y2 + pad))

    def box_size(self):
        return max(8, int(self.row_h * self.rng.uniform(0.55, 0.85)))

    def hline(self, x1, x2, y, width=None):
        self.draw.line([(x1, y), (x2, y)], fill=(0, 0, 0), width=width or self.rule)

    def vline(self, x, y1, y2, width=None):
        self.draw.line([(x, y1), (x, y2)], fill=(0, 0, 0), width=width or self.rule)

    # -- blocks -----------------------------------------------------------
    def options(self, x, y, x_end, rh):
        """A run of 'box label' options, as in 'Type [x] Det. [ ] Att.'."""
        s = self.box_size()
        cx = x
        size = rh * self.rng.uniform(0.45, 0.65)
        radios = SETTINGS["radio_rows"] > 0 and self.rng.random() < SETTINGS["radio_rows"]
        while cx + s + 30 < x_end:
            if radios:
                draw_radio(self.draw, self.rng, cx, y + (rh - s) / 2, s)
            elif self.badges and self.rng.random() < 0.15:
                draw_badge(self.draw, self.rng, cx, y + (rh - s) / 2, s, self.fonts)
            elif self.rng.random() < SETTINGS["lookalike_rate"]:
                draw_lookalike(self.draw, self.rng, cx, y + (rh - s) / 2, s, self.fonts)
            else:
                self.checkbox(cx, y + (rh - s) / 2, s)
            cx += s + max(2, s * 0.3)
            lab = option_label(self.rng)
            if cx + font(self.label_font, size).getlength(lab) > x_end:
                break
            cx += self.text(cx, y + (rh - size) / 2 - size * 0.1, lab, size) + self.rng.uniform(8, 40)

    def field(self, x, y, x_end, rh):
        """'Label   typed value' cell content, sometimes with a stray look-alike."""
        size = rh * self.rng.uniform(0.35, 0.55)
        lw = self.text(x, y + 1, field_label(self.rng), size)
        if self.rng.random() < 0.75:
            vsize = rh * self.rng.uniform(0.5, 0.75)
            vx = x + lw + self.rng.uniform(10, 60)
            if vx < x_end - 40:
                val = typed_value(self.rng)
                while val and vx + font(self.value_font, vsize).getlength(val) > x_end:
                    val = val[:-1]
                self.text(vx, y + rh - vsize * 1.2, val, vsize, path=self.value_font)

    def grid_rows(self, x0, y, x1, n):
        rh = self.row_h
        for _ in range(n):
            if y + rh > self.h:
                break
            self.hline(x0, x1, y)
            cuts = sorted(self.rng.uniform(x0, x1, int(self.rng.integers(0, 5))))
            edges = [x0] + [int(c) for c in cuts] + [x1]
            for a, b in zip(edges[:-1], edges[1:]):
                if b - a < 40:
                    continue
                if a != x0:
                    self.vline(a, y, y + rh)
                kind = self.rng.random()
                if kind < 0.45:
                    self.options(a + 4, y, b - 4, rh)
                elif kind < 0.85:
                    self.field(a + 3, y, b - 4, rh)
                elif kind < 0.92:
                    self.question_line(a + 3, y, b - 4, rh)
            y += rh
        self.hline(x0, x1, y)
        return y

    def question_line(self, x, y, x_end, rh):
        size = rh * self.rng.uniform(0.4, 0.55)
        q = question(self.rng)
        qw = font(self.label_font, size).getlength(q)
        s = self.box_size()
        right = x_end - self.rng.uniform(60, 200)
        if x + qw > right - 2 * s - 60:
            q = q[: max(5, int(len(q) * (right - 2 * s - 60 - x) / max(qw, 1)))]
        self.text(x, y + (rh - size) / 2, q, size)
        self.options(max(x + 20, right - 2 * s - 60), y, x_end, rh)

    def table(self, x0, y, x1):
        rh = self.row_h
        ncols = int(self.rng.integers(3, 8))
        widths = self.rng.dirichlet([2.0] * ncols) * (x1 - x0)
        edges = [x0] + [int(x0 + v) for v in widths.cumsum()]
        box_cols = set(self.rng.choice(ncols, size=int(self.rng.integers(1, max(2, ncols // 2 + 1))), replace=False))
        grey = int(self.rng.integers(180, 235))
        self.draw.rectangle([x0, y, x1, y + rh], fill=(grey, grey, grey))
        size = rh * 0.5
        for a, b in zip(edges[:-1], edges[1:]):
            self.text(a + 4, y + rh * 0.2, field_label(self.rng)[: max(3, int((b - a) / (size * 0.6)))], size, bold=True)
        yy = y + rh
        nrows = int(self.rng.integers(2, 9))
        for _ in range(nrows):
            if yy + rh > self.h:
                break
            self.hline(x0, x1, yy)
            for ci, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
                if ci in box_cols and b - a > rh:
                    s = self.box_size()
                    if self.rng.random() < 0.1:
                        continue  # an empty table cell: a look-alike by itself
                    self.checkbox((a + b) / 2 - s / 2, yy + (rh - s) / 2, s)
                elif self.rng.random() < 0.7:
                    self.text(a + 4, yy + rh * 0.2, typed_value(self.rng)[: max(2, int((b - a) / (size * 0.6)))], size,
                              path=self.value_font)
            yy += rh
        self.hline(x0, x1, yy)
        for e in edges:
            self.vline(e, y, yy)
        return yy

    def header_bar(self, x0, y, x1):
        rh = int(self.row_h * self.rng.uniform(0.8, 1.3))
        dark = self.rng.random() < 0.6
        bg = (0, 0, 0) if dark else tuple([int(self.rng.integers(170, 225))] * 3)
        self.draw.rectangle([x0, y, x1, y + rh], fill=bg)
        size = rh * 0.6
        txt = field_label(self.rng).upper()
        if self.rng.random() < 0.3:  # a numbered section: the badge is not a checkbox
            b = int(rh * 0.8)
            draw_badge(self.draw, self.rng, x0 + 3, y + (rh - b) / 2, b, self.fonts)
            x0 += b * 2
        self.text(x0 + self.rng.uniform(4, (x1 - x0) / 3), y + rh * 0.15, txt, size,
                  fill=(255, 255, 255) if dark else (0, 0, 0), bold=True)
        return y + rh

    def section_heading(self, x0, y, x1):
        """'[6.] Owner': a numbered section heading on the paper, the badge a little bigger than the boxes."""
        rh = int(self.row_h * self.rng.uniform(1.1, 1.6))
        b = int(rh * self.rng.uniform(0.6, 0.85))
        x = x0 + self.rng.uniform(2, 30)
        draw_badge(self.draw, self.rng, x, y + (rh - b) / 2, b, self.fonts)
        size = b * self.rng.uniform(0.7, 1.0)
        self.text(x + b * self.rng.uniform(1.3, 2.0), y + (rh - size) / 2 - size * 0.1, field_label(self.rng), size,
                  bold=True)
        return y + rh

    def paragraph(self, x0, y, x1):
        size = self.row_h * self.rng.uniform(0.5, 0.75)
        for _ in range(int(self.rng.integers(1, 4))):
            if y + size * 1.5 > self.h:
                break
            line = sentence(self.rng)
            f = font(self.value_font, size)
            while line and x0 + f.getlength(line) > x1:
                line = line[:-1]
            self.text(x0, y, line, size, path=self.value_font)
            y += size * 1.45
            if self.rng.random() < 0.5:
                self.hline(x0, x1, int(y))
        return int(y + 4)

    def option_columns(self, x0, y, x1):
        """A multi-column option list without rules."""
        cols = int(self.rng.integers(2, 5))
        cw = (x1 - x0) / cols
        rh = self.row_h
        for _ in range(int(self.rng.integers(2, 7))):
            if y + rh > self.h:
                break
            for c in range(cols):
                s = self.box_size()
                cx = x0 + c * cw
                self.checkbox(cx, y + (rh - s) / 2, s)
                self.text(cx + s * 1.4, y + rh * 0.2, option_label(self.rng), rh * 0.5)
            y += rh
        return y

    def comb(self, x0, y):
        """Character combs (SSN, dates): adjacent cells with shared borders, not checkboxes."""
        s = self.box_size()
        n = int(self.rng.integers(4, 12))
        for i in range(n):
            self.draw.rectangle([x0 + i * s, y, x0 + (i + 1) * s, y + s], outline=(0, 0, 0), width=1)
            if self.rng.random() < 0.7:
                self.text(x0 + i * s + s * 0.2, y, str(self.rng.integers(0, 10)), s * 0.8, path=self.value_font)
        return y + s + 6

    def side_bar(self, x0, y0, y1, w):
        self.draw.rectangle([x0, y0, x0 + w, y1], fill=(0, 0, 0))
        size = w * 0.7
        label = field_label(self.rng).upper()
        f = font(self.label_font, size)
        tw = int(f.getlength(label)) + 4
        tile = Image.new("RGB", (tw, int(size * 1.3)), (0, 0, 0))
        ImageDraw.Draw(tile).text((2, 0), label, font=f, fill=(255, 255, 255))
        tile = tile.rotate(90, expand=True)
        if tile.height < y1 - y0:
            self.img.paste(tile, (x0 + (w - tile.width) // 2, y0 + (y1 - y0 - tile.height) // 2))


def compose(rng, width, height, row_h):
    """Fills a page top to bottom with a random sequence of form blocks."""
    p = Page(rng, width, height, row_h)
    margin = int(rng.uniform(0.0, 0.06) * width)
    x0, x1 = margin, width - margin - 1
    y = int(rng.uniform(0, 0.04) * height)
    if rng.random() < 0.35:
        bar = max(12, int(row_h * rng.uniform(0.7, 1.1)))
        p.side_bar(x0, y, height - 1, bar)
        x0 += bar + 2
    blocks = ["grid", "grid", "grid", "table", "header", "paragraph", "columns", "comb", "lookalikes"]
    if p.badges:
        blocks += ["section", "section", "section"]
    while y < height - row_h:
        kind = rng.choice(blocks)
        if kind == "grid":
            y = p.grid_rows(x0, y, x1, int(rng.integers(1, 7)))
        elif kind == "table":
            y = p.table(x0, y, x1)
        elif kind == "header":
            y = p.header_bar(x0, y, x1)
        elif kind == "paragraph":
            y = p.paragraph(x0 + 4, y + 2, x1)
        elif kind == "columns":
            y = p.option_columns(x0 + 4, y + 2, x1)
        elif kind == "section":
            y = p.section_heading(x0, y + 4, x1)
        elif kind == "comb":
            y = p.comb(x0 + int(rng.uniform(0, (x1 - x0) / 2)), y + 4)
        else:
            for _ in range(int(rng.integers(2, 8))):
                s = p.box_size()
                draw_lookalike(p.draw, rng, rng.uniform(x0, x1 - s), y + 2, s, p.fonts)
                p.text(rng.uniform(x0, x1 - 100), y + 2, option_label(rng), row_h * 0.5)
            y += row_h
    return p
