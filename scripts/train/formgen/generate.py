"""Renders a YOLO dataset of synthetic form pages: `python -m formgen.generate --out DIR --train N --val M`."""
import argparse
import os
from multiprocessing import Pool

import numpy as np
from PIL import Image

from . import layout, pen
from .degrade import degrade
from .layout import compose

MIN_BOX_AT_INPUT = 7  # px at the model's input size; smaller boxes are noise to the model


def page_geometry(rng, imgsz, full_page_dpi=None):
    """A form section (like a scanned crop) or a whole Letter/A4 page at 100-200 DPI. With full_page_dpi: always a
    whole page at that DPI, boxes at their real size (not enlarged to what the model sees at imgsz)."""
    if full_page_dpi is None and rng.random() < 0.55:
        w = int(rng.uniform(600, 1800))
        h = int(w * rng.uniform(0.22, 1.0))
        row_h = rng.uniform(15, 45)
    else:
        dpi = rng.uniform(100, 200) if full_page_dpi is None else full_page_dpi
        inches = (8.5, 11.0) if rng.random() < 0.6 else (8.27, 11.69)
        w, h = int(inches[0] * dpi), int(inches[1] * dpi)
        row_h = dpi * rng.uniform(0.17, 0.32)
        if rng.random() < 0.3:
            w, h = h, w
    if full_page_dpi is None:
        scale = imgsz / max(w, h)
        row_h = max(row_h, MIN_BOX_AT_INPUT / 0.55 / scale)
    return w, h, row_h


def render(task):
    index, seed, split, out, imgsz, full_page_dpi = task
    rng = np.random.default_rng([seed, index])
    w, h, row_h = page_geometry(rng, imgsz, full_page_dpi)
    page = compose(rng, w, h, row_h)
    arr, labels = degrade(page.img, page.labels, rng)
    name = f"{split}_{index:06d}"
    Image.fromarray(arr).save(os.path.join(out, "images", split, name + ".jpg"), quality=93)
    with open(os.path.join(out, "labels", split, name + ".txt"), "w") as f:
        for cls, x1, y1, x2, y2 in labels:
            if x2 - x1 < 3 or y2 - y1 < 3:
                continue
            f.write(f"{cls} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} {(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}\n")
    return len(labels)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--train", type=int, default=1200)
    ap.add_argument("--val", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--imgsz", type=int, default=640)
    ap.add_argument("--full-page-dpi", type=float, help="only whole Letter/A4 pages at this DPI, boxes at real size "
                    "(test sets for big pages, e.g. 300)")
    ap.add_argument("--pen-styles", default="ballpoint,pencil",
                    help=f"handwriting pens to draw with ({', '.join(pen.PENS)}); a test set can use one held out")
    ap.add_argument("--hand-rate", type=float, default=0.35, help="share of pages whose boxes are filled by hand")
    ap.add_argument("--lookalike-rate", type=float, default=layout.SETTINGS["lookalike_rate"],
                    help="share of option slots drawn as a look-alike (badge, radio, letter, icon...) instead of a box")
    ap.add_argument("--radio-rows", type=float, default=layout.SETTINGS["radio_rows"], help="share of option runs drawn as radio groups")
    ap.add_argument("--badge-pages", type=float, default=layout.SETTINGS["badge_pages"],
                    help="share of pages with numbered section badges beside dark web-style filled boxes")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    pen.SETTINGS.update(styles=a.pen_styles.split(","), rate=a.hand_rate)  # before the workers fork
    layout.SETTINGS.update(lookalike_rate=a.lookalike_rate, radio_rows=a.radio_rows, badge_pages=a.badge_pages)
    tasks = []
    for split, n, seed in (("train", a.train, a.seed), ("val", a.val, a.seed + 10_000)):
        os.makedirs(os.path.join(a.out, "images", split), exist_ok=True)
        os.makedirs(os.path.join(a.out, "labels", split), exist_ok=True)
        tasks += [(i, seed, split, a.out, a.imgsz, a.full_page_dpi) for i in range(n)]
    with Pool(a.workers) as pool:
        boxes = sum(pool.imap_unordered(render, tasks, chunksize=8))
    with open(os.path.join(a.out, "data.yaml"), "w") as f:
        f.write(f"path: {os.path.abspath(a.out)}\ntrain: images/train\nval: images/val\nnames:\n  0: empty\n  1: filled\n")
    print(f"{len(tasks)} pages, {boxes} checkboxes -> {a.out}")


if __name__ == "__main__":
    main()
