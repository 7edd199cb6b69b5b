"""Rebuilds the detection head's box decoding with a third of the operators, same output.

Ultralytics' dynamic-shape export decodes boxes with about a hundred small operators after the head's last
convolutions: anchors rebuilt from the feature-map shapes on every run (Shape, Range, Expand, Concat...), a
softmax over the DFL bins that onnxruntime runs through a transpose, then the box arithmetic. On a 2-core CPU
they took about a tenth of the inference, most of it fixed cost per operator. This keeps output0 exactly as
Ultralytics defines it — [batch, 4 + classes, anchors]: centre x, centre y, width, height in input pixels,
then sigmoid class scores — and computes it from constant anchor grids sliced to the input's size and a
softmax written as max, exp and one small MatMul over contiguous data.

The grids cover inputs up to the model's imgsz on each side (the letterbox never exceeds it). A larger input
fails loudly in onnxruntime (the anchors and boxes no longer broadcast) rather than decoding wrong boxes.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper

PREFIX = "/model.{head}/lean/"


def _head_index(model: onnx.ModelProto) -> str:
    return model.graph.node[-1].name.split("/")[1].split(".")[1]  # "/model.23/Concat_26" -> "23"


def _branch_outputs(model: onnx.ModelProto, head: str, branch: str) -> list[str]:
    """Outputs of the last convolution of each level of a head branch (cv2: box bins, cv3: class logits)."""
    outs = []
    for level in range(8):
        name = f"/model.{head}/{branch}.{level}/{branch}.{level}.2/Conv"
        node = next((n for n in model.graph.node if n.name == name), None)
        if node is None:
            break
        outs.append(node.output[0])
    return outs


def _anchor_grid(stride: int, imgsz: int) -> np.ndarray:
    """[1, 4, H, W]: anchor centre x and y in input pixels, half the stride, the stride — for each cell."""
    cells = -(-imgsz // stride)
    y, x = np.meshgrid(np.arange(cells), np.arange(cells), indexing="ij")
    grid = np.stack([(x + 0.5) * stride, (y + 0.5) * stride, np.full_like(x, stride / 2, dtype=np.float64),
                     np.full_like(x, stride, dtype=np.float64)])
    return grid[None].astype(np.float32)


def rewrite_head(model: onnx.ModelProto, strides: list[int], imgsz: int) -> bool:
    """Replaces the decoding in place; returns False (and changes nothing) if the graph lacks the pattern."""
    graph = model.graph
    if len(graph.output) != 1:
        return False
    head = _head_index(model)
    boxes, classes = _branch_outputs(model, head, "cv2"), _branch_outputs(model, head, "cv3")
    if not boxes or len(boxes) != len(classes) or len(boxes) != len(strides):
        return False
    inits = {t.name: t for t in graph.initializer}
    conv_weight = {n.output[0]: n.input[1] for n in graph.node if n.op_type == "Conv"}
    bins = numpy_helper.to_array(inits[conv_weight[boxes[0]]]).shape[0] // 4
    nc = numpy_helper.to_array(inits[conv_weight[classes[0]]]).shape[0]
    output = graph.output[0].name
    p = PREFIX.format(head=head)

    # Drop the old decoding: every head node outside the convolution branches.
    keep = [n for n in graph.node
            if n.name.split("/")[1:2] != [f"model.{head}"] or n.name.split("/")[2].startswith(("cv2", "cv3"))]
    nodes: list[onnx.NodeProto] = []
    consts: list[onnx.TensorProto] = []

    def const(name: str, value) -> str:
        consts.append(numpy_helper.from_array(np.asarray(value), p + name))
        return p + name

    def node(op: str, inputs: list[str], name: str, outputs: int = 1, **attrs) -> list[str]:
        outs = [p + name] if outputs == 1 else [f"{p}{name}_{i}" for i in range(outputs)]
        nodes.append(helper.make_node(op, inputs, outs, name=p + name, **attrs))
        return outs

    flat_boxes, flat_classes, anchors = [], [], []
    for level, (box, cls, stride) in enumerate(zip(boxes, classes, strides)):
        flat_boxes += node("Reshape", [box, const(f"box_shape{level}", np.array([0, 4 * bins, -1]))],
                           f"box_flat{level}")
        flat_classes += node("Reshape", [cls, const(f"cls_shape{level}", np.array([0, nc, -1]))],
                             f"cls_flat{level}")
        size = node("Shape", [box], f"size{level}", start=2, end=4)[0]
        cells = node("Slice", [const(f"grid{level}", _anchor_grid(stride, imgsz)), const(f"zero{level}", np.array([0, 0])),
                               size, const(f"axes{level}", np.array([2, 3]))], f"cells{level}")[0]
        anchors += node("Reshape", [cells, const(f"grid_shape{level}", np.array([1, 4, -1]))], f"anchors{level}")

    box = node("Concat", flat_boxes, "box", axis=2)[0]
    scores = node("Sigmoid", node("Concat", flat_classes, "cls", axis=2), "scores")[0]
    anchor = node("Concat", anchors, "anchor", axis=2)[0]

    # DFL: each side's distance is the expectation over its bins of softmax(logits).
    logits = node("Reshape", [box, const("bins_shape", np.array([0, 4, bins, -1]))], "bins")[0]
    peak = node("ReduceMax", [logits], "peak", axes=[2], keepdims=1)[0]
    weights = node("Exp", node("Sub", [logits, peak], "shifted"), "weights")[0]
    sums = node("MatMul", [const("sum_and_mean", np.stack([np.ones(bins), np.arange(bins)]).astype(np.float32)),
                           weights], "sums")[0]
    total, weighted = node("Split", [sums, const("halves", np.array([1, 1]))], "sum", outputs=2, axis=2)
    dist = node("Reshape", [node("Div", [weighted, total], "expect")[0], const("dist_shape", np.array([0, 4, -1]))],
                "dist")[0]

    # Ultralytics' dist2bbox times the stride: centre = anchor + (rb - lt) / 2, size = lt + rb.
    lt, rb = node("Split", [dist, const("sides", np.array([2, 2]))], "side", outputs=2, axis=1)
    centre_anchor, half_stride, stride = node("Split", [anchor, const("parts", np.array([2, 1, 1]))], "anchor_part",
                                              outputs=3, axis=1)
    offset = node("Mul", [node("Sub", [rb, lt], "skew")[0], half_stride], "offset")[0]
    centre = node("Add", [centre_anchor, offset], "centre")[0]
    size = node("Mul", [node("Add", [lt, rb], "extent")[0], stride], "size")[0]
    nodes.append(helper.make_node("Concat", [centre, size, scores], [output], name=p + "output", axis=1))

    del graph.node[:]
    graph.node.extend(keep + nodes)
    used = {i for n in graph.node for i in n.input}
    for t in [t for t in graph.initializer if t.name not in used]:
        graph.initializer.remove(t)
    graph.initializer.extend(consts)
    produced = {o for n in graph.node for o in n.output}
    for info in [v for v in graph.value_info if v.name not in produced]:
        graph.value_info.remove(info)
    return True
