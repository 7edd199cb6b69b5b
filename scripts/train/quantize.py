"""Quantises a plain Ultralytics ONNX export to int8 with onnxruntime's own tool (static, QDQ), calibrated on
generated training pages, so the file stays one that any onnxruntime user opens as it is.

Weights are int8 with reduce_range (7 bits): onnxruntime's u8s8 kernels on CPUs without AVX-512 VNNI add two
uint8 x int8 products into a 16-bit sum, which saturates with full-range weights and gives wrong boxes there.

    python scripts/train/quantize.py models/float.onnx models/checkbox-detector.onnx DIR [DIR ...]
"""
import argparse
import random
from pathlib import Path

import cv2
import numpy as np
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def letterbox(path: Path, size: int = 640) -> np.ndarray:
    """Ultralytics' letterbox to a `size` square (grey 114): one shape for every page, which the percentile and
    entropy calibrators need."""
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    h, w = img.shape[:2]
    r = min(size / h, size / w)
    nh, nw = round(h * r), round(w * r)
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR)
    ph, pw = size - nh, size - nw
    top, left = ph // 2, pw // 2
    img = cv2.copyMakeBorder(img, top, ph - top, left, pw - left, cv2.BORDER_CONSTANT, value=(114, 114, 114))
    return img[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0


INT8_OPS = ("Conv", "Relu", "Concat", "Add", "MaxPool", "Resize")


def float_head(model_path: str) -> list[str]:
    """The detection head's output convolutions (`cv2.i.2`, `cv3.i.2`, `dfl`) and everything after them."""
    import onnx

    names = [n.name for n in onnx.load(model_path).graph.node]
    head = [n for n in names if n.startswith("/model.23/")]
    return [n for n in head if "/conv/" not in n or "/dfl/" in n]


class Pages(CalibrationDataReader):
    def __init__(self, paths: list[Path]):
        self.paths = iter(paths)

    def get_next(self):
        path = next(self.paths, None)
        return None if path is None else {"images": letterbox(path)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("dirs", nargs="+", help="folders of training pages (searched recursively)")
    ap.add_argument("--pages", type=int, default=96, help="calibration pages, drawn evenly from the folders")
    ap.add_argument("--method", default="percentile", choices=["minmax", "percentile", "entropy"])
    ap.add_argument("--full-range", action="store_true", help="8-bit weights (only exact on AVX-512 VNNI CPUs)")
    args = ap.parse_args()

    rng = random.Random(0)
    per_dir = max(1, args.pages // len(args.dirs))
    paths: list[Path] = []
    for d in args.dirs:
        found = sorted(p for p in Path(d).rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        paths += rng.sample(found, min(per_dir, len(found)))

    from onnxruntime.quantization import CalibrationMethod

    method = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
              "entropy": CalibrationMethod.Entropy}[args.method]
    pre = Path(args.dst).with_suffix(".pre.onnx")
    quant_pre_process(args.src, str(pre), skip_symbolic_shape=True)
    quantize_static(
        str(pre), args.dst, Pages(paths),
        quant_format=QuantFormat.QDQ,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=not args.full_range,
        calibrate_method=method,
        # The backbone and neck run in int8 end to end (no float round trip between layers); the head's last
        # convolutions and its box decoding stay float, where 8 bits would move boxes and scores.
        op_types_to_quantize=list(INT8_OPS),
        nodes_to_exclude=float_head(args.src),
        extra_options={"CalibMovingAverage": True} if args.method == "minmax" else {},
    )
    pre.unlink()
    print(f"{args.dst}: calibrated on {len(paths)} pages")


if __name__ == "__main__":
    main()
