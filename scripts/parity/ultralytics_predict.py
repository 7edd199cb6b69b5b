"""Ultralytics' own predictions for the parity check: one JSON object {image: [[x1, y1, x2, y2, conf, cls], ...]}.

Run by scripts/parity/parity.ts with the same ONNX file, images, conf and IoU as the Node pipeline.
NMS is class-agnostic there (a checkbox is one object), so it is here too.
"""

import argparse
import json
import os

os.environ.setdefault("YOLO_OFFLINE", "true")
os.environ.setdefault("YOLO_VERBOSE", "false")

from ultralytics import YOLO  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--conf", type=float, required=True)
    parser.add_argument("--iou", type=float, required=True)
    parser.add_argument("--max-det", type=int, required=True)
    parser.add_argument("--imgsz", type=int, nargs=2, required=True)
    parser.add_argument("images", nargs="+")
    args = parser.parse_args()

    model = YOLO(args.model, task="detect")
    out = {}
    for image in args.images:
        (result,) = model.predict(
            image,
            conf=args.conf,
            iou=args.iou,
            max_det=args.max_det,
            imgsz=args.imgsz,
            agnostic_nms=True,
            device="cpu",
            verbose=False,
        )
        boxes = result.boxes
        out[image] = [
            [*xyxy, conf, cls]
            for xyxy, conf, cls in zip(boxes.xyxy.tolist(), boxes.conf.tolist(), boxes.cls.tolist())
        ]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
