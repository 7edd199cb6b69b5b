"""Exports weights as a plain Ultralytics ONNX file (float32 `images` input, dynamic size, opset 17, no rewrites):
what Ultralytics, Netron and `npm run eval -- --model FILE` open as they are.

    python scripts/train/export_plain.py runs/v2/weights/last.pt /work/train-v2/candidate.onnx
"""
import os
import shutil
import sys
import tempfile

os.environ.setdefault("YOLO_OFFLINE", "true")

from ultralytics import YOLO  # noqa: E402

src, dst = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    # Ultralytics writes the .onnx beside the .pt: export a copy so nothing lands next to the source weights.
    pt = shutil.copy(src, os.path.join(tmp, "weights.pt"))
    # Ultralytics' own onnxslim pass (its default) gives the output its static [1, 6, N] channel size.
    out = YOLO(pt).export(format="onnx", dynamic=True, opset=17, imgsz=640, simplify=True, device="cpu")
    shutil.move(out, dst)
print(dst)
