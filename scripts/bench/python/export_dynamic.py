"""Export a dynamic-shape ONNX twin of the bundled model, to time rectangular (stride-padded) letterboxing.

    python export_dynamic.py --pt models/checkbox-detector.pt --out .cache/bench/variants/dynamic.onnx

Ultralytics writes an export beside its weights, so the .pt is copied into the output folder first: the
bundled models/ folder is never written to. Prints `BENCH_RESULT {"file": ..., "bytes": ...}`.
"""
import argparse
import json
import os
import shutil

os.environ.setdefault("YOLO_OFFLINE", "true")

from ultralytics import YOLO  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--pt", required=True)
ap.add_argument("--out", required=True)
a = ap.parse_args()

out_dir = os.path.dirname(os.path.abspath(a.out))
os.makedirs(out_dir, exist_ok=True)
work = os.path.join(out_dir, "dynamic-export.pt")
shutil.copyfile(a.pt, work)
model = YOLO(work)
imgsz = model.ckpt.get("train_args", {}).get("imgsz", 640) if getattr(model, "ckpt", None) else 640
exported = model.export(format="onnx", imgsz=imgsz, dynamic=True, simplify=True, opset=17)
os.replace(exported, a.out)
os.remove(work)
print("BENCH_RESULT " + json.dumps({"file": os.path.abspath(a.out), "bytes": os.path.getsize(a.out)}), flush=True)
