"""Puts every int8 Concat's inputs on the Concat's own quantisation grid, so that it concatenates bytes.

A quantised Concat (DequantizeLinear on each input, QuantizeLinear after) becomes onnxruntime's QLinearConcat,
which requantises each input through a lookup table. Channels-last, where onnxruntime runs the int8 network,
that is one table call per pixel and input (16-64 bytes at a time) on one thread: 0.9 ms of 10 on a letter page.
When the inputs already share the output's scale and zero point the Concat can take the quantised bytes as they
are: a plain Concat, which onnxruntime runs as strided copies over its threads (0.4 ms).

Tensors joined by a Concat get one grid: the union of their calibrated ranges. Tensors that pass through Split,
MaxPool or Resize already share their input's grid (the quantiser names it once), so the groups can chain, e.g.
a layer's output concatenated at two places of the neck. A tensor whose range widens loses resolution; what
that costs is checked on pages by export.py. A convolution's bias is stored in units of its input scale times
its weight scale, so the bias of every convolution that reads a regridded tensor is requantised.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper

from nhwc_upsample import _attrs

QMAX = 255


class _Grids:
    """Union-find over scale initializer names (one per quantised tensor, shared through pass-through ops)."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        self.parent.setdefault(name, name)
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def join(self, names: list[str]) -> None:
        roots = [self.find(n) for n in names]
        for r in roots[1:]:
            self.parent[r] = roots[0]

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in self.parent:
            out.setdefault(self.find(name), []).append(name)
        return out


def _joinable(node, producer, consumers, inits) -> bool:
    """A uint8 QDQ Concat: every input dequantised, the output quantised once and used nowhere else."""
    if node.op_type != "Concat":
        return False
    if not all(i in producer and producer[i].op_type == "DequantizeLinear" for i in node.input):
        return False
    users = consumers.get(node.output[0], [])
    if len(users) != 1 or users[0].op_type != "QuantizeLinear":
        return False
    zero_points = [producer[i].input[2] for i in node.input] + [users[0].input[2]]
    return all(z in inits and inits[z].data_type == onnx.TensorProto.UINT8 for z in zero_points)


def _union_grid(pairs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.float32, np.uint8]:
    """The smallest uint8 grid that holds each (scale, zero point) grid's range, and zero exactly."""
    lo = min(float(-z.astype(np.int32) * s) for s, z in pairs)
    hi = max(float((QMAX - z.astype(np.int32)) * s) for s, z in pairs)
    scale = np.float32((hi - lo) / QMAX)
    return scale, np.uint8(np.clip(np.round(-lo / scale), 0, QMAX))


def _requantise_biases(graph, producer, inits, changed: dict[str, float]) -> None:
    """Conv biases are int32 in units of input scale x weight scale: re-express those whose input scale moved."""
    for node in graph.node:
        if node.op_type != "Conv" or len(node.input) < 3:
            continue
        x_dq, w_dq, b_dq = (producer.get(i) for i in node.input[:3])
        if x_dq is None or x_dq.op_type != "DequantizeLinear" or x_dq.input[1] not in changed:
            continue
        if b_dq is None or b_dq.op_type != "DequantizeLinear":
            continue
        bias = numpy_helper.to_array(inits[b_dq.input[0]]).astype(np.float64)
        old_scale = numpy_helper.to_array(inits[b_dq.input[1]]).astype(np.float64)
        w_scale = numpy_helper.to_array(inits[w_dq.input[1]]).astype(np.float64)
        new_scale = (changed[x_dq.input[1]] * w_scale).astype(np.float32)
        q = np.round(bias * old_scale / new_scale).astype(np.int32)
        inits[b_dq.input[0]].CopyFrom(numpy_helper.from_array(q, b_dq.input[0]))
        inits[b_dq.input[1]].CopyFrom(numpy_helper.from_array(new_scale, b_dq.input[1]))


def share_concat_grids(model: onnx.ModelProto) -> int:
    """Rewrites, in place, every uint8 QDQ Concat into a Concat of the quantised inputs on one grid; returns how
    many. Run on the quantiser's QDQ model, before onnxruntime fuses it."""
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    inits = {t.name: t for t in graph.initializer}
    # Each Concat with the one QuantizeLinear after it.
    concats = [(n, consumers[n.output[0]][0]) for n in graph.node if _joinable(n, producer, consumers, inits)]
    if not concats:
        return 0

    grids, zero_points = _Grids(), {}
    for node, quantise in concats:
        params = [producer[i].input[1:3] for i in node.input] + [quantise.input[1:3]]
        grids.join([s for s, _ in params])
        zero_points.update({s: z for s, z in params})

    changed: dict[str, float] = {}
    for names in grids.groups().values():
        pairs = [(numpy_helper.to_array(inits[s]), numpy_helper.to_array(inits[zero_points[s]])) for s in names]
        scale, zero = _union_grid(pairs)
        for s in names:
            if numpy_helper.to_array(inits[s]) != scale:
                changed[s] = float(scale)
            inits[s].CopyFrom(numpy_helper.from_array(np.array(scale, np.float32), s))
            inits[zero_points[s]].CopyFrom(numpy_helper.from_array(np.array(zero, np.uint8), zero_points[s]))
    _requantise_biases(graph, producer, inits, changed)

    dropped, joined = set(), {}
    for node, quantise in concats:
        dropped.update(i for i in node.input if len(consumers[i]) == 1)  # DequantizeLinear outputs
        dropped.add(quantise.output[0])
        joined[node.output[0]] = helper.make_node(
            "Concat", [producer[i].input[0] for i in node.input], list(quantise.output), name=node.name,
            axis=_attrs(node)["axis"])
    nodes = [joined.get(n.output[0], n) for n in graph.node if n.output[0] not in dropped]
    del graph.node[:]
    graph.node.extend(nodes)
    return len(concats)
