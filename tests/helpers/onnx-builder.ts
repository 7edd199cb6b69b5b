// Builds tiny ONNX models byte by byte (protobuf wire format), so tests can load models with a known input,
// a known constant output and chosen metadata through the real onnxruntime.
import {
  encodeLenField as lenField,
  encodeMetadataProps,
  encodeVarint as varint,
} from './protobuf-writer.js';

type Bytes = number[];

const vField = (field: number, n: number): Bytes => [...varint(field * 8), ...varint(n)];
const str = (field: number, s: string): Bytes => lenField(field, new TextEncoder().encode(s));

const FLOAT = 1;

/** ValueInfoProto of a float tensor; a string dimension is symbolic. */
function valueInfo(name: string, shape: (number | string)[]): Bytes {
  const dims = shape.flatMap((d) => lenField(1, typeof d === 'number' ? vField(1, d) : str(2, d)));
  const tensorType = [...vField(1, FLOAT), ...lenField(2, dims)];
  return [...str(1, name), ...lenField(2, lenField(1, tensorType))];
}

function floatTensor(dims: number[], values: Float32Array): Bytes {
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return [...dims.flatMap((d) => vField(1, d)), ...vField(2, FLOAT), ...lenField(9, raw)];
}

function node(op: string, inputs: string[], outputs: string[], attributes: Bytes[] = []): Bytes {
  return [
    ...inputs.flatMap((i) => str(1, i)),
    ...outputs.flatMap((o) => str(2, o)),
    ...str(4, op),
    ...attributes.flatMap((a) => lenField(5, a)),
  ];
}

function model(
  nodes: Bytes[],
  inputs: Bytes[],
  outputs: Bytes[],
  metadata: Record<string, string>,
): Uint8Array {
  const graph = [
    ...nodes.flatMap((n) => lenField(1, n)),
    ...str(2, 'test'),
    ...inputs.flatMap((i) => lenField(11, i)),
    ...outputs.flatMap((o) => lenField(12, o)),
  ];
  const opset = [...str(1, ''), ...vField(2, 17)];
  const head = [...vField(1, 8), ...str(2, 'onnx-builder'), ...lenField(7, graph), ...lenField(8, opset)];
  const meta = encodeMetadataProps(metadata);
  const out = new Uint8Array(head.length + meta.length);
  out.set(head);
  out.set(meta, head.length);
  return out;
}

/** y = Identity(x): a valid ONNX model that is no detector. */
export function identityModel(
  shape: (number | string)[] = [1, 10],
  metadata: Record<string, string> = {},
): Uint8Array {
  return model([node('Identity', ['x'], ['y'])], [valueInfo('x', shape)], [valueInfo('y', shape)], metadata);
}

/**
 * A "detector" whose output is a constant tensor: input `images` [1,3,H,W] is declared (and ignored), output0
 * always holds `values`. Lets tests drive decoding and box mapping through the real runtime with known numbers.
 */
export function constantOutputModel(
  outputShape: number[],
  values: Float32Array,
  metadata: Record<string, string>,
  inputShape: (number | string)[] = [1, 3, 640, 640],
): Uint8Array {
  const attribute = [...str(1, 'value'), ...vField(20, 4), ...lenField(5, floatTensor(outputShape, values))];
  return model(
    [node('Constant', [], ['output0'], [attribute])],
    [valueInfo('images', inputShape)],
    [valueInfo('output0', outputShape)],
    metadata,
  );
}

export const ULTRALYTICS_METADATA = {
  stride: '32',
  task: 'detect',
  batch: '1',
  imgsz: '[640, 640]',
  names: "{0: 'empty', 1: 'filled'}",
  args: "{'batch': 1, 'half': False, 'dynamic': False, 'simplify': True, 'opset': None, 'nms': False}",
};
