"""Trains the checkbox detector from scratch on generated forms; resumable.

    python scripts/train/train.py --data datasets/forms/data.yaml --epochs 25 --name forms640
    python scripts/train/train.py --resume runs/forms640/weights/last.pt
    # another architecture (here ReLU activations) starting from a trained model's weights:
    python scripts/train/train.py --model scripts/train/yolo11n-relu.yaml --weights models/checkbox-detector.pt \
        --data scripts/train/stage2.yaml --epochs 6 --lr0 0.001 --warmup-epochs 0 --name relu
"""
import argparse
import os

os.environ.setdefault("YOLO_OFFLINE", "true")  # never reach for hub weights or fonts

import torch  # noqa: E402
import ultralytics.utils.torch_utils as torch_utils  # noqa: E402
from ultralytics import YOLO  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="data.yaml written by formgen.generate")
    ap.add_argument("--model", default="yolo11n.yaml", help="architecture yaml (from scratch) or a .pt to fine-tune")
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--imgsz", type=int, default=640)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--name", default="forms640")
    ap.add_argument("--project", default=os.path.abspath("runs"))
    ap.add_argument("--weights", help="a .pt whose weights initialise --model (same layers, e.g. another activation)")
    ap.add_argument("--resume", help="last.pt of an interrupted run")
    ap.add_argument("--device", default="cpu", help="cpu, or a GPU's index (0)")
    ap.add_argument("--time", type=float, help="hours to train for: Ultralytics fits the epochs (and their lr schedule) "
                    "to it after the first epoch, so a lent GPU's fixed minutes are used whole")
    ap.add_argument("--workers", type=int, default=8, help="data loader processes (Ultralytics caps them by the CPUs)")
    ap.add_argument("--lr0", type=float, help="AdamW learning rate for a second stage; default: Ultralytics' automatic choice")
    ap.add_argument("--warmup-epochs", type=float, default=0.5,
                    help="second stage warmup; 0 when starting from trained weights (Ultralytics warms the bias lr from 0.1)")
    ap.add_argument("--no-val", dest="val", action="store_false",
                    help="skip per-epoch validation (saves minutes per epoch on a CPU); every epoch is still saved")
    a = ap.parse_args()

    # Ultralytics picks one torch thread on a 2-core machine; using every core is about 2x faster.
    threads = os.cpu_count() or 1
    torch_utils.NUM_THREADS = threads
    torch.set_num_threads(threads)

    if a.resume:
        YOLO(a.resume).train(resume=True)
        return
    if not a.data:
        ap.error("--data is required unless --resume is given")
    stage = {"optimizer": "AdamW", "lr0": a.lr0, "lrf": 0.1, "warmup_epochs": a.warmup_epochs} if a.lr0 else {}
    YOLO(a.model).train(
        data=a.data, epochs=a.epochs, imgsz=a.imgsz, batch=a.batch, device=a.device,
        project=a.project, name=a.name, exist_ok=True,
        # From a .pt this continues from its weights (pretrained=False would silently start over).
        pretrained=a.weights or a.model.endswith(".pt"),
        plots=False, amp=False, cache="ram", save_period=1, val=a.val,
        # Geometry: boxes are small, so do not shrink pages further; rotation comes from the generator.
        scale=0.25, translate=0.1, degrees=0.0, fliplr=0.5, mosaic=1.0,
        close_mosaic=max(1, a.epochs // 5), patience=100, time=a.time, workers=a.workers, **stage,
    )


if __name__ == "__main__":
    main()
