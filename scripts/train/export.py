"""Exports trained weights to the ONNX file the app loads, and keeps the .pt beside it for fine-tuning.

    python scripts/train/export.py runs/nopsa2/weights/epoch2.pt --out models/checkbox-detector

The ONNX file is a plain Ultralytics export (float32 `images` input, opset 17, onnxslim's simplification), with a
free input size (dynamic=True): the app letterboxes each page to the smallest stride-aligned rectangle, as
Ultralytics does, rather than a full square. No graph rewrites: any onnxruntime, Ultralytics or Netron opens it
as it is (models/checkbox-detector.md, "Why float32").
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("YOLO_OFFLINE", "true")

from ultralytics import YOLO  # noqa: E402


def export_onnx(weights: str, out: str, imgsz: int | None) -> None:
    """Writes the ONNX model to `out` whole or not at all."""
    with tempfile.TemporaryDirectory() as tmp:
        # Ultralytics writes the export beside the weights: work on a copy, never beside the shipped model.
        work = os.path.join(tmp, "model.pt")
        shutil.copyfile(weights, work)
        model = YOLO(work)
        size = imgsz or model.ckpt["train_args"]["imgsz"]
        exported = model.export(format="onnx", imgsz=size, simplify=True, dynamic=True, opset=17, device="cpu")
        shutil.copyfile(exported, out + ".tmp")
        os.replace(out + ".tmp", out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", help="best.pt or last.pt of a training run")
    ap.add_argument("--out", default="models/checkbox-detector", help="path without extension")
    ap.add_argument("--imgsz", type=int, default=None, help="defaults to the training size")
    ap.add_argument("--onnx-only", action="store_true", help="do not copy the .pt beside the ONNX file")
    a = ap.parse_args()

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    export_onnx(a.weights, a.out + ".onnx", a.imgsz)
    if not a.onnx_only and os.path.abspath(a.weights) != os.path.abspath(a.out + ".pt"):
        # Copied then renamed: a half-written file must never be picked up.
        shutil.copyfile(a.weights, a.out + ".pt.tmp")
        os.replace(a.out + ".pt.tmp", a.out + ".pt")
        strip_optimizer(a.out + ".pt")
    print(f"wrote {a.out}.onnx ({os.path.getsize(a.out + '.onnx') / 1e6:.1f} MB)"
          + ("" if a.onnx_only else f" and {a.out}.pt"))


def strip_optimizer(path):
    """Drops optimizer state from a checkpoint so the shipped .pt stays small; fine-tuning does not need it."""
    from ultralytics.utils.torch_utils import strip_optimizer as strip

    strip(path)


if __name__ == "__main__":
    main()
