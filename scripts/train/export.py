"""Exports trained weights to the ONNX file the app loads, and keeps the .pt beside it for fine-tuning.

    python scripts/train/export.py runs/forms640/weights/best.pt --out models/checkbox-detector
"""
import argparse
import os
import shutil

os.environ.setdefault("YOLO_OFFLINE", "true")

from ultralytics import YOLO  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", help="best.pt of a training run")
    ap.add_argument("--out", default="models/checkbox-detector", help="path without extension")
    ap.add_argument("--imgsz", type=int, default=None, help="defaults to the training size")
    a = ap.parse_args()

    model = YOLO(a.weights)
    imgsz = a.imgsz or model.ckpt["train_args"]["imgsz"]
    onnx_path = model.export(format="onnx", imgsz=imgsz, simplify=True, dynamic=False, opset=17)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    # Write beside the target, then rename: a half-copied model must never be picked up by the app.
    for src, ext in ((onnx_path, ".onnx"), (a.weights, ".pt")):
        tmp = a.out + ext + ".tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, a.out + ext)
    strip_optimizer(a.out + ".pt")
    print(f"wrote {a.out}.onnx ({os.path.getsize(a.out + '.onnx') / 1e6:.1f} MB) and {a.out}.pt")


def strip_optimizer(path):
    """Drops optimizer state from a checkpoint so the shipped .pt stays small; fine-tuning does not need it."""
    from ultralytics.utils.torch_utils import strip_optimizer as strip

    strip(path)


if __name__ == "__main__":
    main()
