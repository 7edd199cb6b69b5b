"""Office documents with ☐ ☑ ☒ glyph check boxes, laid out by LibreOffice and rendered by MuPDF.

    python officedocs.py --out DIR --pages N --seed S [--glyph-fonts 'DejaVu Sans,Symbola']

Each page is a flat ODF text document (questions with inline boxes, option lists, tables with tinted cells, stray
✓ ✗ glyphs with no box) converted to PDF by `soffice --headless` in batches. Labels come from the PDF's text layer:
MuPDF's character quads of each box glyph (☐ empty, ☑ ☒ filled), tightened to the glyph's ink. Needs the Debian
packages libreoffice-writer-nogui, mupdf-tools and the glyph fonts (fonts-dejavu, fonts-freefont-ttf,
fonts-symbola, fonts-noto-core). Resumable: pages with labels are skipped.
"""
import argparse
import os
import re
import subprocess
import tempfile
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image

TRAIN_GLYPH_FONTS = "DejaVu Sans,DejaVu Sans Mono,FreeMono,FreeSerif,Symbola"  # held out: Noto Sans Symbols2
BODY_FONTS = ["Liberation Serif", "Liberation Sans", "Carlito", "Caladea", "DejaVu Serif", "Noto Sans", "FreeSans"]
BOX_CLASS = {"\u2610": 0, "\u2611": 1, "\u2612": 1}
STRAY = ["\u2713", "\u2714", "\u2717", "\u2718", "\u25a0", "\u25cf"]
WORDS = ["Yes", "No", "N/A", "Approved", "Rejected", "Pending", "Owner", "Tenant", "Cash", "Card", "Email", "Phone",
         "Daily", "Weekly", "Monthly", "Male", "Female", "Other", "Married", "Single", "Full-time", "Part-time",
         "Completed", "Signed", "Attached", "Received", "Urgent", "Standard", "Renewal", "New application"]
QUESTIONS = ["Have you been insured before?", "Is the property occupied?", "Type of request:", "Preferred contact:",
             "Documents provided:", "Payment method:", "Was the inspection completed?", "Employment status:",
             "Do you agree to the terms?", "Frequency:", "Reason for leaving:", "Select all that apply:"]

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')


def text_style(name, family, size):
    f = f"'{family}'"
    return (f'<style:style style:name="{name}" style:family="text"><style:text-properties fo:font-family="{f}" '
            f'style:font-family-asian="{f}" style:font-family-complex="{f}" fo:font-size="{size:.1f}pt"/></style:style>')


def compose(rng, glyph_fonts):
    """One page's flat ODF document."""
    body = BODY_FONTS[rng.integers(len(BODY_FONTS))]
    size = rng.uniform(9, 13)
    gsize = size * rng.uniform(0.9, 1.7)
    glyph_font = glyph_fonts[rng.integers(len(glyph_fonts))]
    fill = rng.uniform(0.2, 0.6)
    tint = ["#ffffff", "#dde8ff", "#fff2cc", "#e2efda", "#f2f2f2", "#fce4d6"][rng.integers(6)]
    styles = [text_style("G", glyph_font, gsize), text_style("S", "DejaVu Sans", size),
              f'<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="{rng.uniform(0, 0.2):.2f}cm"/>'
              f'<style:text-properties fo:font-family="\'{body}\'" fo:font-size="{size:.1f}pt"/></style:style>',
              f'<style:style style:name="H" style:family="paragraph"><style:text-properties fo:font-family="\'{body}\'" '
              f'fo:font-size="{size * 1.6:.1f}pt" fo:font-weight="bold"/></style:style>',
              f'<style:style style:name="C" style:family="table-cell"><style:table-cell-properties fo:background-color="{tint}" '
              f'fo:border="0.5pt solid #000000" fo:padding="0.06cm"/></style:style>']

    def box():
        return f'<text:span text:style-name="G">{"☐" if rng.random() > fill else ("☒" if rng.random() < 0.5 else "☑")}</text:span>'

    def word():
        return escape(WORDS[rng.integers(len(WORDS))])

    def para(inner, style="P"):
        return f'<text:p text:style-name="{style}">{inner}</text:p>'

    parts = [para(escape(["Application Form", "Inspection Checklist", "Enrolment", "Customer Questionnaire",
                          "Change Request"][rng.integers(5)]), "H")]
    for _ in range(int(rng.integers(4, 10))):
        kind = rng.integers(4)
        if kind == 0:  # a question with its options inline
            opts = "<text:s/>".join(f"{box()} {word()}<text:s text:c=\"3\"/>" for _ in range(int(rng.integers(2, 5))))
            parts.append(para(f"{escape(QUESTIONS[rng.integers(len(QUESTIONS))])}<text:s text:c=\"4\"/>{opts}"))
        elif kind == 1:  # an option list, one per line
            parts.append(para(escape(QUESTIONS[rng.integers(len(QUESTIONS))])))
            parts += [para(f"{box()}<text:s/>{word()}") for _ in range(int(rng.integers(2, 6)))]
        elif kind == 2:  # a table with a box column per option
            cols = int(rng.integers(2, 5))
            head = "".join(f'<table:table-cell table:style-name="C">{para(word())}</table:table-cell>' for _ in range(cols + 1))
            rows = "".join(
                "<table:table-row>" + f'<table:table-cell table:style-name="C">{para(word())}</table:table-cell>'
                + "".join(f'<table:table-cell table:style-name="C">{para(box())}</table:table-cell>' for _ in range(cols))
                + "</table:table-row>" for _ in range(int(rng.integers(2, 6))))
            parts.append(f'<table:table><table:table-column table:number-columns-repeated="{cols + 1}"/>'
                         f"<table:table-row>{head}</table:table-row>{rows}</table:table>")
        else:  # running text with stray ticks and crosses: no box, not labelled
            stray = STRAY[rng.integers(len(STRAY))]
            parts.append(para(f'{word()} <text:span text:style-name="S">{stray}</text:span> {word()} {word()}. '
                              f'<text:span text:style-name="G">{STRAY[rng.integers(len(STRAY))]}</text:span> {word()}'))
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.2" '
            f'office:mimetype="application/vnd.oasis.opendocument.text"><office:automatic-styles>{"".join(styles)}'
            f'</office:automatic-styles><office:body><office:text>{"".join(parts)}</office:text></office:body></office:document>')


QUAD = re.compile(r'<char quad="([^"]+)"[^>]*c="([^"]+)"')


def glyph_boxes(pdf):
    """Box glyphs on page 1 from MuPDF's text layer: (class, x1, y1, x2, y2) in points."""
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf, "1"], capture_output=True, text=True).stdout
    out = []
    for quad, c in QUAD.findall(xml):
        ch = chr(int(c[3:-1], 16)) if c.startswith("&#x") else c
        if ch in BOX_CLASS:
            q = [float(v) for v in quad.split()]
            out.append((BOX_CLASS[ch], min(q[0::2]), min(q[1::2]), max(q[0::2]), max(q[1::2])))
    return out


def ink_box(gray, x1, y1, x2, y2):
    """Tightens a glyph's font box to its ink; None when nothing was drawn there."""
    h, w = gray.shape
    a, b = max(0, int(x1) - 1), max(0, int(y1) - 1)
    region = gray[b:min(h, int(y2) + 2), a:min(w, int(x2) + 2)].astype(int)
    if region.size == 0:
        return None
    ring = np.concatenate([region[0], region[-1], region[:, 0], region[:, -1]])
    ys, xs = np.nonzero(np.abs(region - np.median(ring)) > 60)
    if len(xs) < 4:
        return None
    return a + xs.min(), b + ys.min(), a + xs.max() + 1, b + ys.max() + 1


def render(name, pdf, rng, out):
    dpi = int(rng.choice([100, 120, 150, 150, 200, 200, 300]))
    png = os.path.join(out, "images", name + ".png")
    subprocess.run(["mutool", "draw", "-q", "-r", str(dpi), "-o", png, pdf, "1"], check=True, capture_output=True)
    img = Image.open(png)
    gray = np.array(img.convert("L"))
    W, H = img.size
    k = dpi / 72
    lines = []
    for cls, x1, y1, x2, y2 in glyph_boxes(pdf):
        box = ink_box(gray, x1 * k, y1 * k, x2 * k, y2 * k)
        if box:
            bx1, by1, bx2, by2 = box
            lines.append(f"{cls} {(bx1 + bx2) / 2 / W:.6f} {(by1 + by2) / 2 / H:.6f} {(bx2 - bx1) / W:.6f} {(by2 - by1) / H:.6f}")
    with open(os.path.join(out, "labels", name + ".txt"), "w") as f:
        f.write("".join(line + "\n" for line in lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--glyph-fonts", default=TRAIN_GLYPH_FONTS)
    ap.add_argument("--batch", type=int, default=20, help="documents per soffice start (it takes seconds to start)")
    a = ap.parse_args()
    fonts = a.glyph_fonts.split(",")
    for sub in ("images", "labels"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    todo = [i for i in range(a.pages) if not os.path.exists(os.path.join(a.out, "labels", f"office_{a.seed}_{i:06d}.txt"))]
    for start in range(0, len(todo), a.batch):
        with tempfile.TemporaryDirectory() as tmp:
            batch = todo[start:start + a.batch]
            for i in batch:
                with open(os.path.join(tmp, f"office_{a.seed}_{i:06d}.fodt"), "w") as f:
                    f.write(compose(np.random.default_rng([a.seed, i]), fonts))
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                            "--outdir", tmp] + [os.path.join(tmp, f"office_{a.seed}_{i:06d}.fodt") for i in batch],
                           check=True, capture_output=True)
            for i in batch:
                name = f"office_{a.seed}_{i:06d}"
                render(name, os.path.join(tmp, name + ".pdf"), np.random.default_rng([a.seed, i, 1]), a.out)
        print(f"{start + len(batch)} of {len(todo)} pages", flush=True)


if __name__ == "__main__":
    main()
