"""Packs a mixed training set small enough to carry to a GPU machine: every page at most --max-side px on its long
side (training at 640 looks at no more), as JPEG, with its labels and a data.yaml of relative paths.

    python scripts/train/pack.py /work/train-v2/mix6/train.txt --out /work/train-v2/pack6 --quality 75 --tar-mb 49

With --tar-mb the pages are also written as tar files of at most that size (part0.tar, part1.tar, ...: one per
copy to a machine that takes a limited amount a call) and the labels and lists as tail.tgz, for
`scripts/train/gpu/unpack.sh`.
"""
import argparse
import os
import shutil
import tarfile

from PIL import Image

from mix import fit, label_path, source_name


def write_tars(out, names, limit_bytes):
    """Pages in tars of at most limit_bytes each (1 KB a page for tar's header and padding, 10 KB for its end);
    labels and lists in tail.tgz."""
    end = 10240
    parts, size = [[]], end
    for n in names:
        page = os.path.getsize(os.path.join(out, n)) + 1024
        if parts[-1] and size + page > limit_bytes:
            parts.append([])
            size = end
        parts[-1].append(n)
        size += page
    for k, part in enumerate(parts):
        with tarfile.open(os.path.join(out, f"part{k}.tar"), "w", format=tarfile.GNU_FORMAT) as tar:
            for n in part:
                tar.add(os.path.join(out, n), arcname=n)
    with tarfile.open(os.path.join(out, "tail.tgz"), "w:gz") as tar:
        for n in ("labels", "train.txt", "val.txt", "data.yaml"):
            tar.add(os.path.join(out, n), arcname=n)
    print(f"{len(parts)} tars of pages and tail.tgz in {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train_list", help="train.txt written by mix.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-side", type=int, default=640)
    ap.add_argument("--quality", type=int, default=85)
    ap.add_argument("--tar-mb", type=float, help="also write the pages as tars of at most this many MB")
    ap.add_argument("--val", type=int, default=100, help="pages (every k-th) listed again as the final check's split")
    a = ap.parse_args()
    for sub in ("images", "labels"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    names = []
    for path in open(a.train_list).read().split():
        # Sources share stem names (page_000001): prefix each page with its source's folder to keep them apart.
        name = f"{source_name(os.path.dirname(path))}_{os.path.splitext(os.path.basename(path))[0]}"
        names.append(f"./images/{name}.jpg\n")
        out_img = os.path.join(a.out, "images", name + ".jpg")
        if os.path.exists(out_img):  # packed by an earlier run: a growing set is packed again quickly
            continue
        img = fit(Image.open(path).convert("RGB"), a.max_side)
        # Label first, image renamed into place last: a page whose image exists is complete.
        shutil.copyfile(label_path(path), os.path.join(a.out, "labels", name + ".txt"))
        img.save(out_img + ".part", format="JPEG", quality=a.quality)
        os.replace(out_img + ".part", out_img)
    with open(os.path.join(a.out, "train.txt"), "w") as f:
        f.writelines(names)
    with open(os.path.join(a.out, "val.txt"), "w") as f:
        f.writelines(names[:: max(1, len(names) // a.val)])
    # No `path:`: Ultralytics then resolves the lists beside data.yaml, wherever the folder lands.
    with open(os.path.join(a.out, "data.yaml"), "w") as f:
        f.write("train: train.txt\nval: val.txt\nnames:\n  0: empty\n  1: filled\n")
    print(f"{len(names)} pages in {a.out}")
    if a.tar_mb:
        write_tars(a.out, [n[2:].rstrip() for n in names], int(a.tar_mb * 1e6))


if __name__ == "__main__":
    main()
