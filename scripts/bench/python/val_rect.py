"""Score ONNX models with Ultralytics' own validator on a YOLO folder: square input for fixed-shape models,
rectangular (stride-padded) input for dynamic-shape ones — how our eval cannot run them yet.

    python val_rect.py --data-dir ../shared/data/real-dev --models a.onnx b.onnx

Runs and caches go to a temporary folder; the dataset is only read. Prints `BENCH_RESULT {"results": [...]}`.
"""
import argparse
import json
import os
import tempfile

os.environ.setdefault("YOLO_OFFLINE", "true")

import yaml  # noqa: E402
from ultralytics import YOLO  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--data-dir", required=True, help="folder with images/ and labels/")
ap.add_argument("--models", nargs="+", required=True)
a = ap.parse_args()

results = []
with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data.yaml")
    with open(data, "w") as f:
        images = os.path.join(os.path.abspath(a.data_dir), "images")
        yaml.safe_dump({"train": images, "val": images, "names": {0: "empty", 1: "filled"}}, f)
    for file in a.models:
        model = YOLO(file, task="detect")
        m = model.val(data=data, imgsz=640, batch=1, rect=True, conf=0.001, plots=False, project=tmp, name="val", verbose=False)
        results.append({"model": os.path.basename(file), "map50": float(m.box.map50), "map50_95": float(m.box.map)})
print("BENCH_RESULT " + json.dumps({"results": results}), flush=True)
