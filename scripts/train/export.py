"""Exports trained weights to the ONNX file the app loads, and keeps the .pt beside it for fine-tuning.

    python scripts/train/export.py runs/relu/weights/last.pt --out models/checkbox-detector \\
        --int8-calib datasets/forms/images/val

The ONNX model takes any input size up to the training size (dynamic=True): the app letterboxes each page to
the smallest stride-aligned rectangle, as Ultralytics does, rather than a full square. Its box decoding is
rebuilt with a third of the operators (lean_head.py). With --int8-calib the weights and activations are
quantised to int8 (quantize.py), calibrated on those generated pages, and every Concat's inputs are put on the
Concat's own grid so that it joins bytes instead of requantising them (concat_grid.py). Then onnxruntime's
"extended" graph optimisations (fusions that do not depend on the CPU) are applied once here rather than at
every start: that saves about a third of the session creation, which every cold start pays; the file then holds
onnxruntime's contrib ops (com.microsoft), so it is meant for onnxruntime (the app, the Lambda, Ultralytics'
ONNX backend).
Last, the int8 upsampling is rewritten into block copies (nhwc_upsample.py), and the int8 model's float first
convolution into an int8 one fed with 8-bit pixels in 2x2 blocks (s2d_stem.py). Each exact rewrite is checked
here against the graph before it, on random inputs of three shapes; the shared grids and the stem, which are not
exact, on the calibration pages (scores to quantisation noise, confident boxes to a pixel).
The file's metadata gets a model_version (a hash of the export), so the app need not hash the file at start.
"""
import argparse
import hashlib
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("YOLO_OFFLINE", "true")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from ultralytics import YOLO  # noqa: E402

from concat_grid import share_concat_grids  # noqa: E402
from lean_head import rewrite_head  # noqa: E402
from nhwc_upsample import rewrite_upsamples  # noqa: E402
from quantize import calibration_files, int8_static, letterbox  # noqa: E402
from s2d_stem import restore_image_input, rewrite_stem, space_to_depth  # noqa: E402


def export_onnx(weights: str, out: str, imgsz: int | None, calib: list[str] | None) -> None:
    """Writes the ONNX model to `out` whole or not at all."""
    with tempfile.TemporaryDirectory() as tmp:
        # Ultralytics writes the export beside the weights: work on a copy, never beside the shipped model.
        work = os.path.join(tmp, "model.pt")
        shutil.copyfile(weights, work)
        model = YOLO(work)
        size = imgsz or model.ckpt["train_args"]["imgsz"]
        exported = model.export(format="onnx", imgsz=size, simplify=True, dynamic=True, opset=17)
        graph = onnx.load(exported)
        fp32 = os.path.join(tmp, "fp32.onnx")
        side = max(size) if isinstance(size, (list, tuple)) else size
        if rewrite_head(graph, [int(s) for s in model.model.stride.tolist()], side):
            onnx.save(graph, fp32)
            check_same_output(exported, fp32, side)
        else:
            print("note: not a YOLO11-style head; its box decoding is exported as is")
            shutil.copyfile(exported, fp32)
        final = fp32
        if calib:
            final = os.path.join(tmp, "int8.onnx")
            int8_static(fp32, final, calib)
            quantised = onnx.load(final)
            before = onnx.ModelProto()
            before.CopyFrom(quantised)
            if share_concat_grids(quantised):
                check_regrid(before, quantised, calib[:8], side)
                onnx.save(quantised, final)
        optimised = os.path.join(tmp, "optimised.onnx")
        ort_preoptimise(final, optimised)
        versioned = onnx.load(optimised)
        if rewrite_upsamples(versioned):
            upsampled = os.path.join(tmp, "upsampled.onnx")
            onnx.save(versioned, upsampled)
            check_same_output(optimised, upsampled, side, tolerance=0)
        if calib:
            before = onnx.ModelProto()
            before.CopyFrom(versioned)
            if rewrite_stem(versioned):
                check_stem(before, versioned, calib[:8], side)
        digest = hashlib.sha256(versioned.SerializeToString()).hexdigest()[:12]
        versioned.metadata_props.add(key="model_version", value=f"sha256:{digest}")
        onnx.save(versioned, out + ".tmp")
        os.replace(out + ".tmp", out)


def check_same_output(reference: str, rewritten: str, imgsz: int, tolerance: float = 1e-3) -> None:
    """A rewritten graph must compute what the one before did, on square and rectangular inputs: the head's
    decoding to a thousandth of a pixel (the scores are the same sigmoid of the same logits), the upsampling
    exactly."""
    a, b = (ort.InferenceSession(p, providers=["CPUExecutionProvider"]) for p in (reference, rewritten))
    name = a.get_inputs()[0].name
    rng = np.random.default_rng(0)
    for h, w in [(imgsz, imgsz), (imgsz, imgsz * 3 // 4 // 32 * 32), (64, imgsz)]:
        x = rng.random((1, 3, h, w), dtype=np.float32)
        want, got = a.run(None, {name: x})[0], b.run(None, {name: x})[0]
        if want.shape != got.shape or np.abs(want - got).max() > tolerance:
            raise SystemExit(f"{rewritten} differs from {reference} at {h}x{w}: max |diff| "
                             f"{np.abs(want - got).max() if want.shape == got.shape else want.shape}")


def sessions(*models: onnx.ModelProto) -> list[ort.InferenceSession]:
    return [ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]) for m in models]


def check_close(want: np.ndarray, got: np.ndarray, page: str, change: str) -> None:
    """One page's output0 after a change that is not exact: 99 scores in 100 within 0.03 (quantisation noise; a
    wrong layout or grid moves them all), and every box either is confident about within a pixel."""
    scores_a, scores_b = want[4:].max(0), got[4:].max(0)
    sure = (scores_a > 0.25) | (scores_b > 0.25)
    score_diff = np.percentile(np.abs(want[4:] - got[4:]), 99)
    box_diff = np.abs(want[:4, sure] - got[:4, sure]).max() if sure.any() else 0.0
    if score_diff > 0.03 or box_diff > 1:
        raise SystemExit(f"{change} changes {page}: scores by {score_diff:.3f}, boxes by {box_diff:.2f} px")


def check_regrid(reference: onnx.ModelProto, rewritten: onnx.ModelProto, pages: list[str], imgsz: int) -> None:
    """The Concats on shared grids (concat_grid.py) against the calibrated grids, on real pages."""
    a, b = sessions(reference, rewritten)
    for page in pages:
        x = letterbox(page, imgsz, rect=True)
        check_close(a.run(None, {"images": x})[0][0], b.run(None, {"images": x})[0][0], page, "sharing Concat grids")


def check_stem(reference: onnx.ModelProto, rewritten: onnx.ModelProto, pages: list[str], imgsz: int) -> None:
    """The int8 stem against the float one on real pages (check_close). Its image-input twin
    (restore_image_input) must match it exactly."""
    twin = onnx.ModelProto()
    twin.CopyFrom(rewritten)
    restore_image_input(twin)
    a, b, c = sessions(reference, rewritten, twin)
    for page in pages:
        x = letterbox(page, imgsz, rect=True)
        pixels = np.round(x[0].transpose(1, 2, 0) * 255).astype(np.uint8)[None]
        got = b.run(None, {"images": space_to_depth(pixels)})[0][0]
        if np.any(c.run(None, {"images": x})[0][0] != got):
            raise SystemExit(f"the image-input twin of the rewritten stem differs on {page}")
        check_close(a.run(None, {"images": x})[0][0], got, page, "the int8 stem")


def ort_preoptimise(src: str, dst: str) -> None:
    """onnxruntime's extended level, saved: the app still runs its own hardware-specific layout passes."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = dst
    ort.InferenceSession(src, options, providers=["CPUExecutionProvider"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", help="best.pt or last.pt of a training run")
    ap.add_argument("--out", default="models/checkbox-detector", help="path without extension")
    ap.add_argument("--imgsz", type=int, default=None, help="defaults to the training size")
    ap.add_argument("--int8-calib", nargs="+", help="generated page images (or folders) to calibrate int8 on")
    ap.add_argument("--calib-limit", type=int, default=64)
    ap.add_argument("--onnx-only", action="store_true", help="do not copy the .pt beside the ONNX file")
    a = ap.parse_args()

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    calib = calibration_files(a.int8_calib, a.calib_limit) if a.int8_calib else None
    export_onnx(a.weights, a.out + ".onnx", a.imgsz, calib)
    if not a.onnx_only and os.path.abspath(a.weights) != os.path.abspath(a.out + ".pt"):
        # Copied then renamed: a half-written file must never be picked up.
        shutil.copyfile(a.weights, a.out + ".pt.tmp")
        os.replace(a.out + ".pt.tmp", a.out + ".pt")
        strip_optimizer(a.out + ".pt")
    kind = "int8" if calib else "float32"
    print(f"wrote {a.out}.onnx ({kind}, {os.path.getsize(a.out + '.onnx') / 1e6:.1f} MB)"
          + ("" if a.onnx_only else f" and {a.out}.pt"))


def strip_optimizer(path):
    """Drops optimizer state from a checkpoint so the shipped .pt stays small; fine-tuning does not need it."""
    from ultralytics.utils.torch_utils import strip_optimizer as strip

    strip(path)


if __name__ == "__main__":
    main()
