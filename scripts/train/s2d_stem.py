"""Feeds the int8 model's first convolution from 8-bit pixels in space-to-depth order instead of float pixels.

The first convolution (3 -> C channels, 3x3, stride 2, padding 1) stays in float in the quantised model, because
onnxruntime's int8 convolution over 3 input channels is slow; with it come a float input four times the size of
the image, a reorder of the float output and a QuantizeLinear: about 1.2 ms of 10 on one core. Written instead
over the image's 2x2 pixel blocks -- each block's 12 bytes (the rows' RGB, top then bottom) plus 4 zero bytes, so
that a block is one 16-byte store for the letterbox -- the same convolution is 2x2 with stride 1 and no padding:

    out[y, x] = sum_{i,j < 3} W[i, j] . P[2y + i, 2x + j]       (P: the image with a 1-pixel zero border)
              = sum_{dy,dx < 2} W'[dy, dx] . S[y + dy, x + dx]  (S[Y, X] = P's block at rows 2Y, 2Y+1)

with W'[dy, dx][a, b] = W[2 dy + a, 2 dx + b] (zero where that is past 2). The pixels enter as uint8 with scale
1/255, which is exact; only the weights are quantised (per output channel). Input: uint8 [N, H/2 + 1, W/2 + 1, 16]
(channels-last, so onnxruntime needs no transpose) and metadata input_format = "s2d16_uint8"; the app writes it
straight from the letterbox (src-core/letterbox.ts).

restore_image_input() undoes the layout -- a float [N, 3, H, W] input quantised exactly to the same bytes, a 3x3
int8 convolution with the same weights -- for tools that feed images (Ultralytics): same outputs, bit for bit.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from nhwc_upsample import _attrs

INPUT_FORMAT = "s2d16_uint8"
BLOCK_CHANNELS = 16
PIXEL_SCALE = np.float32(1 / 255)


def _consumers(graph: onnx.GraphProto, name: str) -> list[onnx.NodeProto]:
    return [n for n in graph.node if name in n.input]


def _block_weights(w: np.ndarray) -> np.ndarray:
    """[C, 3, 3, 3] (3x3 over RGB) -> [C, 16, 2, 2] over 2x2 blocks; channel (2a + b) * 3 + rgb, 12-15 zero."""
    out = np.zeros((w.shape[0], BLOCK_CHANNELS, 2, 2), w.dtype)
    for dy in range(2):
        for dx in range(2):
            for a in range(2):
                for b in range(2):
                    i, j = 2 * dy + a, 2 * dx + b
                    if i < 3 and j < 3:
                        out[:, (2 * a + b) * 3:(2 * a + b) * 3 + 3, dy, dx] = w[:, :, i, j]
    return out


def _image_weights(w: np.ndarray) -> np.ndarray:
    """The inverse of _block_weights."""
    out = np.zeros((w.shape[0], 3, 3, 3), w.dtype)
    for i in range(3):
        for j in range(3):
            a, b = i % 2, j % 2
            out[:, :, i, j] = w[:, (2 * a + b) * 3:(2 * a + b) * 3 + 3, i // 2, j // 2]
    return out


def _set_input(graph: onnx.GraphProto, name: str, elem: int, shape: list) -> None:
    old = next(i for i in graph.input if i.name == name)
    at = list(graph.input).index(old)
    graph.input.remove(old)
    graph.input.insert(at, helper.make_tensor_value_info(name, elem, shape))


def _replace(graph: onnx.GraphProto, old: list[onnx.NodeProto], new: list[onnx.NodeProto]) -> None:
    at = min(list(graph.node).index(n) for n in old)
    for n in old:
        graph.node.remove(n)
    for k, n in enumerate(new):
        graph.node.insert(at + k, n)


def rewrite_stem(model: onnx.ModelProto) -> bool:
    """In place: a float image input feeding Conv(3x3, stride 2, pad 1) -> QuantizeLinear(uint8) becomes the
    space-to-depth uint8 input and one QLinearConv. False (model unchanged) when the graph starts otherwise."""
    graph = model.graph
    if len(graph.input) != 1:
        return False
    image = graph.input[0]
    users = _consumers(graph, image.name)
    if image.type.tensor_type.elem_type != TensorProto.FLOAT or len(users) != 1 or users[0].op_type != "Conv":
        return False
    conv = users[0]
    a = _attrs(conv)
    if (a.get("kernel_shape") != [3, 3] or a.get("strides") != [2, 2] or a.get("pads") != [1, 1, 1, 1]
            or a.get("group", 1) != 1 or a.get("dilations", [1, 1]) != [1, 1] or len(conv.input) != 3):
        return False
    after = _consumers(graph, conv.output[0])
    if len(after) != 1 or after[0].op_type != "QuantizeLinear":
        return False
    quant = after[0]
    inits = {t.name: t for t in graph.initializer}
    if quant.input[2] not in inits or numpy_helper.to_array(inits[quant.input[2]]).dtype != np.uint8:
        return False
    w = numpy_helper.to_array(inits[conv.input[1]]).astype(np.float64)
    bias = numpy_helper.to_array(inits[conv.input[2]]).astype(np.float64)
    if w.shape[1:] != (3, 3, 3):
        return False

    blocks = _block_weights(w)
    w_scale = np.abs(blocks).reshape(len(blocks), -1).max(1) / 127
    w_scale[w_scale == 0] = 1
    p = "/model.0/s2d_stem/"
    graph.initializer.extend([
        numpy_helper.from_array(PIXEL_SCALE, p + "x_scale"),
        numpy_helper.from_array(np.uint8(0), p + "x_zero_point"),
        numpy_helper.from_array(np.round(blocks / w_scale[:, None, None, None]).astype(np.int8), p + "w"),
        numpy_helper.from_array(w_scale.astype(np.float32), p + "w_scale"),
        numpy_helper.from_array(np.zeros(len(blocks), np.int8), p + "w_zero_point"),
        numpy_helper.from_array(np.round(bias / (np.float64(PIXEL_SCALE) * w_scale)).astype(np.int32), p + "bias"),
    ])
    _replace(graph, [conv, quant], [
        helper.make_node("Transpose", [image.name], [p + "nchw"], perm=[0, 3, 1, 2], name=p + "nchw"),
        helper.make_node(
            "QLinearConv",
            [p + "nchw", p + "x_scale", p + "x_zero_point", p + "w", p + "w_scale", p + "w_zero_point",
             quant.input[1], quant.input[2], p + "bias"],
            [quant.output[0]], name=p + "conv", kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 0, 0]),
    ])
    for name in conv.input[1:]:
        if not _consumers(graph, name):
            graph.initializer.remove(inits[name])
    _set_input(graph, image.name, TensorProto.UINT8, ["batch", "blocks_y", "blocks_x", BLOCK_CHANNELS])
    model.metadata_props.add(key="input_format", value=INPUT_FORMAT)
    return True


def restore_image_input(model: onnx.ModelProto) -> bool:
    """In place: the inverse of rewrite_stem, for tools that feed float images [N, 3, H, W] in [0, 1]."""
    graph = model.graph
    p = "/model.0/s2d_stem/"
    conv = next((n for n in graph.node if n.name == p + "conv"), None)
    transpose = next((n for n in graph.node if n.name == p + "nchw"), None)
    if conv is None or transpose is None:
        return False
    inits = {t.name: t for t in graph.initializer}
    image = transpose.input[0]
    weights = _image_weights(numpy_helper.to_array(inits[p + "w"]))
    graph.initializer.remove(inits[p + "w"])
    graph.initializer.append(numpy_helper.from_array(weights, p + "w"))
    inputs = list(conv.input)
    inputs[0] = p + "quantised"
    _replace(graph, [transpose, conv], [
        helper.make_node("QuantizeLinear", [image, p + "x_scale", p + "x_zero_point"], [p + "quantised"],
                         name=p + "quantise"),
        helper.make_node("QLinearConv", inputs, list(conv.output), name=p + "conv",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    ])
    _set_input(graph, image, TensorProto.FLOAT, ["batch", 3, "height", "width"])
    meta = [m for m in model.metadata_props if m.key != "input_format"]
    del model.metadata_props[:]
    model.metadata_props.extend(meta)
    return True


def image_input_model(path: str) -> str:
    """`path`, or, for a model rewritten here, its image-input twin in a temporary file (removed at exit): what
    Ultralytics' ONNX backend can feed."""
    import atexit
    import os
    import shutil
    import tempfile

    model = onnx.load(path)
    if {m.key: m.value for m in model.metadata_props}.get("input_format") != INPUT_FORMAT:
        return path
    restore_image_input(model)
    folder = tempfile.mkdtemp(prefix="image-input-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    twin = os.path.join(folder, os.path.basename(path))
    onnx.save(model, twin)
    return twin


def space_to_depth(images: np.ndarray) -> np.ndarray:
    """uint8 [N, H, W, 3] (H, W even) -> the rewritten model's input [N, H/2 + 1, W/2 + 1, 16]."""
    n, h, w, _ = images.shape
    padded = np.zeros((n, h + 2, w + 2, 3), np.uint8)
    padded[:, 1:h + 1, 1:w + 1] = images
    blocks = padded.reshape(n, h // 2 + 1, 2, w // 2 + 1, 2, 3).transpose(0, 1, 3, 2, 4, 5)
    out = np.zeros((n, h // 2 + 1, w // 2 + 1, BLOCK_CHANNELS), np.uint8)
    out[..., :12] = blocks.reshape(n, h // 2 + 1, w // 2 + 1, 12)
    return out


def main():
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--restore-image-input", action="store_true",
                    help="write the image-input twin of a rewritten model (for Ultralytics)")
    a = ap.parse_args()
    model = onnx.load(a.src)
    done = restore_image_input(model) if a.restore_image_input else rewrite_stem(model)
    if not done:
        raise SystemExit(f"{a.src}: nothing to rewrite")
    onnx.save(model, a.dst)


if __name__ == "__main__":
    main()
