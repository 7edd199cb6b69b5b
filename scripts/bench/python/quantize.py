"""Make reduced-precision variants of an ONNX detector, for the benchmark to time and score.

    python quantize.py --model models/checkbox-detector.onnx --out-dir .cache/bench/variants --calib pages.json

Writes [prefix]fp16.onnx (weights and compute in float16, float32 input/output), int8-dynamic.onnx (weights int8,
activations quantised per run) and int8-static.onnx (QDQ, per-channel weights, activations calibrated on
the given pages, letterboxed exactly as the app does; a dynamic-shape model is calibrated on rectangular,
stride-padded inputs, the way it would be run). The detection head's box decoding and the final
1x1 convolutions stay float32: they carry pixel coordinates and logits that int8 cannot hold.
Prints `BENCH_RESULT {"variants": [...]}`.
"""
import argparse
import json
import os

import cv2
import numpy as np
import onnx
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType
from onnxruntime.quantization import quantize_dynamic, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process
from onnxruntime.transformers.float16 import convert_float_to_float16


def letterbox(file: str, size: int, rect: bool) -> np.ndarray:
    """Ultralytics' LetterBox: keep aspect, INTER_LINEAR, centred grey-114 padding; NCHW RGB 0-1.
    rect (auto=True) pads only to the next multiple of 32, as dynamic-shape models are run."""
    image = cv2.imread(file, cv2.IMREAD_COLOR)
    h, w = image.shape[:2]
    r = min(size / h, size / w)
    new_w, new_h = round(w * r), round(h * r)
    if (new_w, new_h) != (w, h):
        image = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    out_w, out_h = (new_w + (size - new_w) % 32, new_h + (size - new_h) % 32) if rect else (size, size)
    top, left = round((out_h - new_h) / 2 - 0.1), round((out_w - new_w) / 2 - 0.1)
    image = cv2.copyMakeBorder(image, top, out_h - new_h - top, left, out_w - new_w - left, cv2.BORDER_CONSTANT, value=(114, 114, 114))
    return (image[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0).copy()


class Pages(CalibrationDataReader):
    def __init__(self, files, input_name, size, rect):
        self.items = iter([{input_name: letterbox(f, size, rect)} for f in files])

    def get_next(self):
        return next(self.items, None)


def float_only_nodes(model: onnx.ModelProto) -> list[str]:
    """The head's decoding (DFL, anchors, concat) and its last convolutions: keep them in float32."""
    head = model.graph.node[-1].name.split("/")[1]  # e.g. "model.23"
    out = []
    for node in model.graph.node:
        parts = node.name.split("/")
        if len(parts) < 2 or parts[1] != head:
            continue
        in_branch = len(parts) > 2 and parts[2].startswith(("cv2", "cv3", "cv4"))
        last_conv = in_branch and node.op_type == "Conv" and len(parts) == 5 and parts[3].endswith(".2")
        if not in_branch or last_conv:
            out.append(node.name)
    return out


def copy_metadata(src: onnx.ModelProto, dst_path: str) -> None:
    """The app reads names/imgsz/stride from metadata_props: make sure each variant still carries them."""
    dst = onnx.load(dst_path)
    have = {p.key for p in dst.metadata_props}
    for p in src.metadata_props:
        if p.key not in have:
            dst.metadata_props.add(key=p.key, value=p.value)
    onnx.save(dst, dst_path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--calib", required=True, help="JSON list of {file} pages for static calibration")
    ap.add_argument("--calib-limit", type=int, default=32)
    ap.add_argument("--prefix", default="", help="prefix of the variant file names")
    ap.add_argument("--only", help="comma-separated subset of fp16,int8-dynamic,int8-static")
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)

    model = onnx.load(a.model)
    input_name = model.graph.input[0].name
    rect = model.graph.input[0].type.tensor_type.shape.dim[2].dim_value == 0  # dynamic height and width
    meta = {p.key: p.value for p in model.metadata_props}
    size = int(meta.get("imgsz", "[640, 640]").strip("[]").split(",")[0])
    names = [n for n in ("fp16", "int8-dynamic", "int8-static") if not a.only or n in a.only.split(",")]
    with open(a.calib) as f:
        calib = [p["file"] for p in json.load(f)][: a.calib_limit]
    path = lambda name: os.path.join(a.out_dir, a.prefix + name)  # noqa: E731

    if "fp16" in names:
        onnx.save(convert_float_to_float16(model, keep_io_types=True), path("fp16.onnx"))

    prepared = path("prepared.onnx")
    quant_pre_process(a.model, prepared, skip_symbolic_shape=True)
    keep_float = float_only_nodes(onnx.load(prepared))

    if "int8-dynamic" in names:
        quantize_dynamic(prepared, path("int8-dynamic.onnx"), weight_type=QuantType.QInt8, nodes_to_exclude=keep_float)
    if "int8-static" in names:
        quantize_static(
            prepared,
            path("int8-static.onnx"),
            Pages(calib, input_name, size, rect),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            nodes_to_exclude=keep_float,
        )
    os.remove(prepared)

    variants = []
    for name in names:
        copy_metadata(model, path(f"{name}.onnx"))
        file = path(f"{name}.onnx")
        variants.append({"name": a.prefix + name, "file": os.path.abspath(file), "bytes": os.path.getsize(file)})
    print("BENCH_RESULT " + json.dumps({"variants": variants, "calibrationPages": len(calib), "floatNodes": len(keep_float)}), flush=True)


if __name__ == "__main__":
    main()
