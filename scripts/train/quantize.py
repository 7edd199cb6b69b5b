"""Quantises an exported detector to int8 (static QDQ), calibrated on generated pages.

    python scripts/train/quantize.py model.onnx --calib datasets/forms/images/val --out model-int8.onnx

Weights int8 per channel, activations uint8 with ranges calibrated on the pages, letterboxed exactly as the
app runs the model (a dynamic-shape model on rectangular, stride-padded inputs). The detection head's box
decoding and its last 1x1 convolutions stay float32: they carry pixel coordinates and logits that int8
cannot hold. So does the stem, the first convolution and its activation: over 3-channel pixels onnxruntime's
int8 kernel (quantise the image, transpose it, im2col) takes twice as long as its float one, and the image's
8 bits lose nothing in float. Calibrate on generated pages only: real pages are what the result is scored on.
"""
import argparse
import os
import shutil
import tempfile

import cv2
import numpy as np
import onnx
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType
from onnxruntime.quantization import quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process
from ultralytics.data.augment import LetterBox

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}


def letterbox(file: str, size: int, rect: bool, stride: int = 32) -> np.ndarray:
    """The model input for a page as Ultralytics prepares it, NCHW RGB 0-1; rect pads only to the next
    multiple of the stride (LetterBox(auto=True)), as dynamic-shape models are run."""
    image = LetterBox(new_shape=(size, size), auto=rect, stride=stride)(image=cv2.imread(file, cv2.IMREAD_COLOR))
    return (image[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0).copy()


class Pages(CalibrationDataReader):
    def __init__(self, files, input_name, size, rect):
        self.items = iter([{input_name: letterbox(f, size, rect)} for f in files])

    def get_next(self):
        return next(self.items, None)


def float_only_nodes(model: onnx.ModelProto) -> list[str]:
    """The stem, and the head's decoding (DFL, anchors, concat) and last convolutions: keep them in float32."""
    head = model.graph.node[-1].name.split("/")[1]  # e.g. "model.23"
    image = model.graph.input[0].name
    stem = next(n.name.split("/")[1] for n in model.graph.node if image in n.input)  # e.g. "model.0"
    out = [n.name for n in model.graph.node if n.name.split("/")[1:2] == [stem]]
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
    """The app reads names/imgsz/stride from metadata_props: the quantised file must carry them too."""
    dst = onnx.load(dst_path)
    have = {p.key for p in dst.metadata_props}
    for p in src.metadata_props:
        if p.key not in have:
            dst.metadata_props.add(key=p.key, value=p.value)
    onnx.save(dst, dst_path)


def calibration_files(paths: list[str], limit: int) -> list[str]:
    """Image files from the given files and folders, in name order, at most `limit`."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(p, f) for f in sorted(os.listdir(p)) if os.path.splitext(f)[1].lower() in IMAGE_EXTS]
        else:
            files.append(p)
    if not files:
        raise SystemExit(f"no calibration images in {', '.join(paths)}")
    return files[:limit]


def int8_static(src: str, dst: str, calib: list[str]) -> None:
    """Writes dst whole or not at all (through a temporary file beside it)."""
    model = onnx.load(src)
    shape = model.graph.input[0].type.tensor_type.shape.dim
    rect = shape[2].dim_value == 0  # dynamic height and width
    meta = {p.key: p.value for p in model.metadata_props}
    size = int(meta.get("imgsz", "[640, 640]").strip("[]").split(",")[0])
    with tempfile.TemporaryDirectory() as tmp:
        prepared = os.path.join(tmp, "prepared.onnx")
        quant_pre_process(src, prepared, skip_symbolic_shape=True)
        quantized = os.path.join(tmp, "int8.onnx")
        quantize_static(prepared, quantized, Pages(calib, model.graph.input[0].name, size, rect),
                        quant_format=QuantFormat.QDQ, per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                        nodes_to_exclude=float_only_nodes(onnx.load(prepared)))
        copy_metadata(model, quantized)
        shutil.copyfile(quantized, dst + ".tmp")
        os.replace(dst + ".tmp", dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="float32 ONNX export")
    ap.add_argument("--calib", nargs="+", required=True, help="generated page images, or folders of them")
    ap.add_argument("--calib-limit", type=int, default=64)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    int8_static(a.model, a.out, calibration_files(a.calib, a.calib_limit))
    print(f"wrote {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
