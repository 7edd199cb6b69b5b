"""Fine-tunes the bundled model on a folder of your own labelled pages and exports an ONNX model the app loads.

The folder is what the app's "Export YOLO labels" writes: images/ and labels/ (class 0 empty, 1 filled).
    python scripts/train/finetune.py my-pages/ --epochs 30 --out models/my-checkboxes
Then choose models/my-checkboxes.onnx in the app's Settings (or pass --model to the CLI).
"""
import argparse
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("YOLO_OFFLINE", "true")

import torch  # noqa: E402
import ultralytics.utils.torch_utils as torch_utils  # noqa: E402
from ultralytics import YOLO  # noqa: E402

from export import main as export_main  # noqa: E402

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}


def split_folder(folder, val_fraction, seed):
    images = sorted(p for p in os.listdir(os.path.join(folder, "images")) if os.path.splitext(p)[1].lower() in IMAGE_EXTS)
    if len(images) < 2:
        raise SystemExit(f"{folder}/images needs at least 2 labelled pages, found {len(images)}")
    random.Random(seed).shuffle(images)
    n_val = max(1, int(len(images) * val_fraction))
    return images[n_val:], images[:n_val]


def write_yaml(folder, train, val, workdir):
    lists = {}
    for name, items in (("train", train), ("val", val)):
        path = os.path.join(workdir, f"{name}.txt")
        with open(path, "w") as f:
            f.writelines(os.path.abspath(os.path.join(folder, "images", p)) + "\n" for p in items)
        lists[name] = path
    data = os.path.join(workdir, "data.yaml")
    with open(data, "w") as f:
        f.write(f"train: {lists['train']}\nval: {lists['val']}\nnames:\n  0: empty\n  1: filled\n")
    return data


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="folder with images/ and labels/")
    ap.add_argument("--base", default="models/checkbox-detector.pt")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--val-fraction", type=float, default=0.2)
    ap.add_argument("--out", default="models/finetuned")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    threads = os.cpu_count() or 1
    torch_utils.NUM_THREADS = threads
    torch.set_num_threads(threads)
    train, val = split_folder(a.folder, a.val_fraction, a.seed)
    with tempfile.TemporaryDirectory() as workdir:
        data = write_yaml(a.folder, train, val, workdir)
        model = YOLO(a.base)
        imgsz = model.ckpt["train_args"]["imgsz"]
        # A low learning rate keeps what the base model learned from thousands of generated pages. No warmup:
        # Ultralytics warms up for at least 100 iterations at a bias lr of 0.1, which on a few dozen pages is
        # the whole run and wrecks the trained head.
        results = model.train(data=data, epochs=a.epochs, imgsz=imgsz, batch=8, device="cpu", lr0=0.0005,
                              optimizer="AdamW", warmup_epochs=0, plots=False, amp=False, project=workdir,
                              name="finetune", scale=0.25, degrees=0.0, close_mosaic=max(1, a.epochs // 5))
        best = os.path.join(results.save_dir, "weights", "best.pt")
        sys.argv = [sys.argv[0], best, "--out", a.out]
        export_main()


if __name__ == "__main__":
    main()
