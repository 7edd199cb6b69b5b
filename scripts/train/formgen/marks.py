"""Checkboxes, the marks that fill them, and the look-alikes that must not be taken for them."""
import math

from PIL import ImageDraw, ImageFont

from . import pen

INKS = {
    "black": (15, 15, 15),
    "ballpoint": (20, 35, 140),
    "pencil": (105, 105, 110),
    "red": (170, 25, 25),
}
BOX_COLOURS = [(0, 0, 0), (0, 0, 0), (0, 0, 0), (40, 40, 40), (30, 60, 200), (0, 0, 170), (90, 90, 90)]


def box_style(rng):
    """One form's checkbox style: forms are consistent within themselves."""
    return {
        "border": int(rng.choice([1, 1, 1, 2, 2, 3])),
        "colour": BOX_COLOURS[rng.integers(len(BOX_COLOURS))],
        "radius": 0 if rng.random() < 0.8 else float(rng.uniform(0.1, 0.3)),
        "double": rng.random() < 0.07,
        "shadow": rng.random() < 0.05,
        "fill_kind": rng.choice(["x_corner", "x_corner", "x_inset", "check", "solid", "typed_x", "scribble", "dot"]),
        "ink": rng.choice(["black", "black", "black", "ballpoint", "pencil", "red"]),
        # Word/Docs templates tint the inside of every box, empty or not; web forms fill checked boxes solid.
        "interior": _interior(rng) if rng.random() < 0.25 else None,
        "solid_colour": _saturated(rng) if rng.random() < 0.08 else None,
        "hand": rng.random() < pen.SETTINGS["rate"],
    }


def _saturated(rng):
    return [(13, 110, 253), (98, 0, 238), (25, 135, 84), (220, 53, 69), (0, 137, 123), (33, 33, 33), (63, 81, 181),
            (245, 124, 0)][rng.integers(8)]


def _interior(rng):
    """A pale tint (sometimes a vertical gradient between two) for the inside of empty boxes."""
    def pale():
        base = [int(rng.integers(200, 256)) for _ in range(3)]
        lift = 255 - max(base)
        return tuple(min(255, c + lift - int(rng.integers(0, 20))) for c in base)
    return (pale(), pale() if rng.random() < 0.3 else None)


def draw_box(draw, x, y, s, style):
    """Draws the empty box with its top-left at (x, y) and side s; returns its outer extent."""
    bw, col = style["border"], style["colour"]
    bw = max(1, min(bw, s // 6))
    r = int(style["radius"] * s)
    if style["interior"]:
        top, bottom = style["interior"]
        for i in range(s):
            t = i / max(1, s - 1)
            c = top if bottom is None else tuple(int(a + (b - a) * t) for a, b in zip(top, bottom))
            draw.line([(x, y + i), (x + s - 1, y + i)], fill=c)
    if style["shadow"]:
        draw.rectangle([x + 2, y + 2, x + s + 1, y + s + 1], fill=(150, 150, 150))
        draw.rectangle([x, y, x + s - 1, y + s - 1], fill=(255, 255, 255))
    if r:
        draw.rounded_rectangle([x, y, x + s - 1, y + s - 1], radius=r, outline=col, width=bw)
    else:
        draw.rectangle([x, y, x + s - 1, y + s - 1], outline=col, width=bw)
    if style["double"] and s >= 14:
        g = bw + 2
        draw.rectangle([x + g, y + g, x + s - 1 - g, y + s - 1 - g], outline=col, width=1)
    return (x, y, x + s, y + s)


def _line(draw, pts, colour, width):
    draw.line([(float(px), float(py)) for px, py in pts], fill=colour, width=max(1, int(round(width))), joint="curve")


def draw_fill(draw, rng, x, y, s, style, fonts):
    """Marks the box as filled in one of the ways people and software fill boxes."""
    if style["solid_colour"] and rng.random() < 0.9:
        draw_white_mark(draw, rng, x, y, s, style)
        return
    if style["hand"] and rng.random() < 0.85:
        pen.hand_fill(draw, rng, x, y, s)
        return
    kind = style["fill_kind"] if rng.random() < 0.75 else rng.choice(
        ["x_corner", "x_inset", "check", "solid", "typed_x", "scribble", "dot", "hand_check", "partial"])
    ink = INKS[style["ink"] if rng.random() < 0.8 else rng.choice(list(INKS))]
    w = max(1, s / rng.uniform(8, 16))
    if kind == "x_corner":
        b = style["border"] * 0.5
        _line(draw, [(x + b, y + b), (x + s - 1 - b, y + s - 1 - b)], (0, 0, 0), max(1, s / 14))
        _line(draw, [(x + s - 1 - b, y + b), (x + b, y + s - 1 - b)], (0, 0, 0), max(1, s / 14))
    elif kind == "x_inset":
        m = s * rng.uniform(0.15, 0.28)
        _line(draw, [(x + m, y + m), (x + s - m, y + s - m)], ink, w)
        _line(draw, [(x + s - m, y + m), (x + m, y + s - m)], ink, w)
    elif kind in ("check", "hand_check"):
        # Handwritten ticks often start inside and leave the box through its top-right edge.
        over = rng.uniform(0.0, 0.6) if kind == "hand_check" else rng.uniform(0, 0.15)
        p0 = (x + s * rng.uniform(0.1, 0.3), y + s * rng.uniform(0.45, 0.65))
        p1 = (x + s * rng.uniform(0.35, 0.5), y + s * rng.uniform(0.75, 0.95))
        p2 = (x + s * rng.uniform(0.85, 1.0 + over), y - s * over * rng.uniform(0.3, 1.0) + s * 0.1)
        _line(draw, [p0, p1, p2], ink, w * rng.uniform(1.0, 1.6))
    elif kind == "solid":
        m = s * rng.uniform(0.12, 0.25)
        draw.rectangle([x + m, y + m, x + s - m, y + s - m], fill=ink)
    elif kind == "dot":
        m = s * rng.uniform(0.25, 0.35)
        draw.ellipse([x + m, y + m, x + s - m, y + s - m], fill=ink)
    elif kind == "partial":
        m = s * 0.2
        draw.rectangle([x + m, y + s * rng.uniform(0.4, 0.6), x + s - m, y + s - m], fill=ink)
        _line(draw, [(x + m, y + m), (x + s - m, y + s * 0.5)], ink, w)
    elif kind == "typed_x":
        size = max(6, int(s * rng.uniform(0.8, 1.15)))
        font = ImageFont.truetype(fonts[rng.integers(len(fonts))], size)
        ch = rng.choice(["X", "X", "x", "✓"]) if "DejaVu" in font.path else rng.choice(["X", "x"])
        bb = draw.textbbox((0, 0), ch, font=font)
        draw.text((x + (s - (bb[2] - bb[0])) / 2 - bb[0], y + (s - (bb[3] - bb[1])) / 2 - bb[1]), ch, font=font, fill=ink)
    else:  # scribble
        pts = [(x + s * rng.uniform(0.1, 0.9), y + s * rng.uniform(0.1, 0.9)) for _ in range(int(rng.integers(4, 9)))]
        _line(draw, pts, ink, w)


def draw_white_mark(draw, rng, x, y, s, style):
    """The web's checked box: a solid coloured square with a white tick, cross or bar."""
    r = int(style["radius"] * s)
    draw.rounded_rectangle([x, y, x + s - 1, y + s - 1], radius=r, fill=style["solid_colour"])
    w = max(1, s / rng.uniform(6, 10))
    kind = rng.choice(["tick", "tick", "cross", "bar"])
    if kind == "tick":
        _line(draw, [(x + s * 0.2, y + s * 0.52), (x + s * 0.42, y + s * 0.74), (x + s * 0.8, y + s * 0.28)], (255, 255, 255), w)
    elif kind == "cross":
        _line(draw, [(x + s * 0.25, y + s * 0.25), (x + s * 0.75, y + s * 0.75)], (255, 255, 255), w)
        _line(draw, [(x + s * 0.75, y + s * 0.25), (x + s * 0.25, y + s * 0.75)], (255, 255, 255), w)
    else:
        draw.rectangle([x + s * 0.22, y + s * 0.44, x + s * 0.78, y + s * 0.56], fill=(255, 255, 255))


PICTOGRAMS = "🚗🏍🚲👤👥🏠☎✉⚙🗑📷🖼➕✏📎🔒★♥⚠ℹ✈⌂☂☀⚑🔍📄📅⏰♿"
STRAY_MARKS = "✓✔✗✘☓✕"


def draw_badge(draw, rng, x, y, s, fonts):
    """A section-number badge: a grey or black square (or rounded square) holding a white number."""
    g = int(rng.choice([0, 30, 60, 90, 120]))
    w = s * (1.0 if rng.random() < 0.6 else rng.uniform(1.2, 1.8))
    draw.rounded_rectangle([x, y, x + w, y + s], radius=int(s * rng.choice([0, 0, 0.15, 0.3])), fill=(g, g, g))
    font = ImageFont.truetype(fonts[rng.integers(len(fonts))], max(6, int(s * 0.7)))
    num = str(rng.integers(1, 30)) + ("." if rng.random() < 0.5 else "")
    bb = draw.textbbox((0, 0), num, font=font)
    draw.text((x + (w - bb[2] + bb[0]) / 2 - bb[0], y + (s - bb[3] + bb[1]) / 2 - bb[1]), num, font=font, fill=(255, 255, 255))


def draw_toggle(draw, rng, x, y, s):
    on = rng.random() < 0.5
    col = _saturated(rng) if on else (180, 180, 180)
    draw.rounded_rectangle([x, y + s * 0.2, x + s * 1.8, y + s * 0.8], radius=int(s * 0.3), fill=col)
    cx = x + (s * 1.5 if on else s * 0.3)
    draw.ellipse([cx - s * 0.38, y + s * 0.12, cx + s * 0.38, y + s * 0.88], fill=(255, 255, 255), outline=(120, 120, 120))


def draw_glyph(draw, rng, x, y, s, chars, ink):
    font = ImageFont.truetype(SYMBOL_FONT, max(6, int(s * rng.uniform(0.9, 1.4))))
    draw.text((x, y - s * 0.1), chars[rng.integers(len(chars))], font=font, fill=ink)


SYMBOL_FONT = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"  # Debian fonts-symbola


def _radio(draw, x, y, s, on, ink):
    # Round radio buttons are not checkboxes in this model (see the model card).
    draw.ellipse([x, y, x + s, y + s], outline=ink, width=max(1, s // 12))
    if on:
        m = s * 0.3
        draw.ellipse([x + m, y + m, x + s - m, y + s - m], fill=ink)


def draw_radio(draw, rng, x, y, s):
    """One button of a radio group, on or off, in a dark grey ink."""
    g = int(rng.integers(0, 90))
    _radio(draw, x, y, s, rng.random() < 0.3, (g, g, g))


def draw_lookalike(draw, rng, x, y, s, fonts, ink=(0, 0, 0)):
    """Things that resemble a checkbox but are not one: letters, bullets, brackets, radio buttons, blanks."""
    kind = rng.choice(["O", "D", "0", "o", "P", "R", "If", "Nº", "bullet", "brackets", "underscore", "radio", "radio_on",
                       "circle_letter", "square_bullet", "badge", "badge", "pictogram", "pictogram", "stray_mark", "toggle"])
    if kind == "badge":
        draw_badge(draw, rng, x, y, s, fonts)
    elif kind == "toggle":
        draw_toggle(draw, rng, x, y, s)
    elif kind == "pictogram":
        draw_glyph(draw, rng, x, y, s, PICTOGRAMS, ink)
    elif kind == "stray_mark":
        draw_glyph(draw, rng, x, y, s, STRAY_MARKS, ink)
    elif len(kind) <= 2:  # letters and digits
        font = ImageFont.truetype(fonts[rng.integers(len(fonts))], max(6, int(s * rng.uniform(1.0, 1.5))))
        draw.text((x, y - s * 0.15), kind, font=font, fill=ink)
    elif kind == "bullet":
        m = s * 0.3
        draw.ellipse([x + m, y + m, x + s - m, y + s - m], fill=ink)
    elif kind == "square_bullet":
        m = s * 0.32
        draw.rectangle([x + m, y + m, x + s - m, y + s - m], fill=ink)
    elif kind == "brackets":
        font = ImageFont.truetype(fonts[rng.integers(len(fonts))], max(6, int(s * 1.2)))
        draw.text((x, y - s * 0.15), rng.choice(["[ ]", "( )", "[  ]"]), font=font, fill=ink)
    elif kind == "underscore":
        draw.line([(x, y + s), (x + s * rng.uniform(1.5, 4), y + s)], fill=ink, width=1)
    elif kind in ("radio", "radio_on"):
        _radio(draw, x, y, s, kind == "radio_on", ink)
    else:
        draw.ellipse([x, y, x + s, y + s], outline=ink, width=1)
        font = ImageFont.truetype(fonts[rng.integers(len(fonts))], max(6, int(s * 0.7)))
        draw.text((x + s * 0.25, y + s * 0.1), str(rng.integers(1, 9)), font=font, fill=ink)


def rotate_points(pts, angle_deg, cx, cy):
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    return [(cx + (px - cx) * ca - (py - cy) * sa, cy + (px - cx) * sa + (py - cy) * ca) for px, py in pts]


__all__ = ["box_style", "draw_box", "draw_fill", "draw_lookalike", "draw_radio", "rotate_points", "ImageDraw"]
