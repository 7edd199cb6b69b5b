"""Mixes rendered sources into one training set; some pages go through the print/scan/fax/photo degradations.

    python scripts/train/mix.py --out /work/train-v2/mix1 --seed 1 \
        /work/train-v2/data/formgen-v2/images/train:0 /work/train-v2/data/web-train/images:0.4 ...

Each source is `IMAGES_DIR:P`: a YOLO images folder (labels beside it in ../labels) and the share of its pages to
degrade, or `IMAGES_DIR:raw` for pages used where they are (formgen's, already degraded and sized). Copied pages are
written as JPEG at most 1280 px on the long side (training looks at 640); `train.txt` lists every page with its
label file, and `data.yaml` points at it. Re-running skips pages already written, so new pages of growing sources
join the next stage.
"""
import argparse
import glob
import os
import zlib

import numpy as np
from PIL import Image

from formgen.degrade import degrade

MAX_SIDE = 1280


def read_labels(path, w, h):
    out = []
    for line in open(path):
        c, cx, cy, bw, bh = line.split()
        cx, cy, bw, bh = float(cx) * w, float(cy) * h, float(bw) * w, float(bh) * h
        out.append((int(c), cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2))
    return out


def write_page(img, labels, out_img, out_lbl):
    w, h = img.size
    with open(out_lbl, "w") as f:
        for c, x1, y1, x2, y2 in labels:
            if x2 - x1 >= 2 and y2 - y1 >= 2:
                f.write(f"{c} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} {(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}\n")
    img.save(out_img, quality=92)


def fit(img, max_side):
    """The page scaled down (never up) so that its long side is at most max_side."""
    scale = min(1.0, max_side / max(img.size))
    if scale < 1:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
    return img


def label_path(image_path):
    """Where Ultralytics looks for a page's labels: /images/ -> /labels/, .txt."""
    return os.path.splitext(image_path.replace(f"{os.sep}images{os.sep}", f"{os.sep}labels{os.sep}"))[0] + ".txt"


def source_name(src):
    """The dataset folder's name (formgen-v2 for formgen-v2/images/train): it prefixes the source's pages."""
    parts = os.path.normpath(src).split(os.sep)
    return parts[parts.index("images") - 1] if "images" in parts else parts[-1]


def mix_source(src, share, out, seed):
    images = sorted(glob.glob(os.path.join(src, "*.png")) + glob.glob(os.path.join(src, "*.jpg")))
    labels_dir = os.path.join(os.path.dirname(src.rstrip("/")), "labels")
    tag = source_name(src)
    n = 0
    for k, path in enumerate(images):
        stem = os.path.splitext(os.path.basename(path))[0]
        out_img = os.path.join(out, "images", f"{tag}_{stem}.jpg")
        labels_file = os.path.join(labels_dir, stem + ".txt")
        # A page without its label file is still being rendered (labels are written last).
        if os.path.exists(out_img) or not os.path.exists(labels_file):
            continue
        img = fit(Image.open(path).convert("RGB"), MAX_SIDE)
        labels = read_labels(labels_file, *img.size)
        rng = np.random.default_rng([seed, zlib.crc32(tag.encode()), k])
        if rng.random() < share:
            arr, labels = degrade(img, labels, rng)
            img = Image.fromarray(arr)
        write_page(img, labels, out_img, os.path.join(out, "labels", f"{tag}_{stem}.txt"))
        n += 1
    return n


def labelled_pages(images_dir):
    """Pages of a YOLO images folder whose label file exists (Ultralytics finds it by /images/ -> /labels/)."""
    pages = glob.glob(os.path.join(images_dir, "*.jpg")) + glob.glob(os.path.join(images_dir, "*.png"))
    return [p for p in pages if os.path.exists(label_path(p))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("sources", nargs="+", help="IMAGES_DIR:DEGRADE_SHARE")
    a = ap.parse_args()
    for sub in ("images", "labels"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    pages = []
    for spec in a.sources:
        src, share = spec.rsplit(":", 1)
        if share == "raw":
            pages += labelled_pages(src)
        else:
            print(f"{src}: {mix_source(src, float(share), a.out, a.seed)} new pages", flush=True)
    pages += labelled_pages(os.path.join(a.out, "images"))
    with open(os.path.join(a.out, "train.txt"), "w") as f:
        f.write("".join(os.path.abspath(p) + "\n" for p in sorted(pages)))
    # Per-epoch validation is off on a CPU; Ultralytics still wants a val split, so it points at the same list.
    with open(os.path.join(a.out, "data.yaml"), "w") as f:
        f.write(f"path: {os.path.abspath(a.out)}\ntrain: train.txt\nval: train.txt\nnames:\n  0: empty\n  1: filled\n")
    print(f"{len(pages)} pages in {a.out}/train.txt")


if __name__ == "__main__":
    main()
