"""A predecessor-style service: FastAPI + Ultralytics on PyTorch, the model loaded at start-up.

    python predict_server.py --model yolo11m.yaml --port 8000
POST /predict (multipart `file`, optional `conf`) answers the detections as JSON.
"""
import argparse

import cv2
import numpy as np
import uvicorn
from fastapi import FastAPI, File, Form, UploadFile

from reference_models import load_reference

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()

model = load_reference(args.model)
app = FastAPI()


@app.post("/predict")
async def predict(file: UploadFile = File(...), conf: float = Form(0.2)):
    image = cv2.imdecode(np.frombuffer(await file.read(), np.uint8), cv2.IMREAD_COLOR)
    result = model.predict(image, conf=conf, verbose=False)[0]
    names = result.names
    detections = [
        {"class": names[int(c)], "confidence": float(s), "box": [float(v) for v in b]}
        for b, s, c in zip(result.boxes.xyxy.tolist(), result.boxes.conf.tolist(), result.boxes.cls.tolist())
    ]
    return {"image": {"width": image.shape[1], "height": image.shape[0]}, "detections": detections}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
