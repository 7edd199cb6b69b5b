// Child process: where a page's time goes — read + decode, letterbox (resize + tensor fill), onnxruntime,
// box decoding + NMS — for one model file under chosen session options. It calls the core's own stages
// (image.ts, letterbox.ts, nms.ts) and builds the session itself, so it can try options the Detector
// does not expose.
//   --model file.onnx --threads 2 --opt all|extended|basic|disabled [--no-spin] [--no-mem-pattern]
//   [--rect] --pages pages.json --rounds 2
// --rect (models exported with dynamic=True only) letterboxes to the smallest stride multiple that holds the
// resized page, as Ultralytics does for PyTorch and dynamic ONNX models, instead of the full square.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { decodeImage } from '../../src-core/image.js';
import {
  letterboxGeometry,
  letterboxTensor,
  pyRound,
  type LetterboxGeometry,
} from '../../src-core/letterbox.js';
import { loadModel } from '../../src-core/model.js';
import { decodeDenseOutput, nms } from '../../src-core/nms.js';
import type { BenchPage } from './pages.js';
import { nodePeakRssMb, printResult } from './protocol.js';
import { median } from './stats.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    pages: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    threads: { type: 'string', default: '0' },
    opt: { type: 'string', default: 'all' },
    'no-spin': { type: 'boolean', default: false },
    'no-mem-pattern': { type: 'boolean', default: false },
    rect: { type: 'boolean', default: false },
    label: { type: 'string', default: 'profile' },
  },
});

export interface StageProfile {
  label: string;
  /** Median ms per stage over every timed page. */
  stages: { decode: number; letterbox: number; infer: number; post: number; total: number };
  sessionCreateMs: number;
  peakRssMb: number;
  /** Boxes found over one pass of the pages (a quick sign that a variant still detects). */
  boxesPerPass: number;
}

const pages = JSON.parse(await readFile(values.pages!, 'utf8')) as BenchPage[];
const { info, session: metadataSession } = await loadModel(values.model!, { threads: 1 });
await metadataSession.release();

const t0 = performance.now();
const session = await ort.InferenceSession.create(values.model!, {
  intraOpNumThreads: Number(values.threads),
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: values.opt as ort.InferenceSession.SessionOptions['graphOptimizationLevel'],
  enableMemPattern: !values['no-mem-pattern'],
  ...(values['no-spin'] ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
});
const sessionCreateMs = performance.now() - t0;
const inputMeta = session.inputMetadata[0];
if (
  values.rect &&
  inputMeta?.isTensor &&
  inputMeta.shape.slice(2).every((d) => typeof d === 'number' && d > 0)
) {
  throw new Error(`--rect needs a dynamic-shape model; ${values.model} has a fixed input`);
}

/** Ultralytics' LetterBox(auto=True): pad only up to the next multiple of the stride, centred. */
function rectGeometry(geo: LetterboxGeometry, stride: number): LetterboxGeometry {
  const width = geo.innerWidth + ((geo.width - geo.innerWidth) % stride);
  const height = geo.innerHeight + ((geo.height - geo.innerHeight) % stride);
  const left = pyRound((width - geo.innerWidth) / 2 - 0.1);
  const top = pyRound((height - geo.innerHeight) / 2 - 0.1);
  return { ...geo, width, height, left, top };
}

async function onePage(file: string): Promise<{ times: number[]; boxes: number }> {
  const a = performance.now();
  const [page] = await decodeImage(await readFile(file));
  const b = performance.now();
  const square = letterboxGeometry(page!.width, page!.height, info.imgsz);
  const geo = values.rect ? rectGeometry(square, info.stride) : square;
  const input = new ort.Tensor('float32', letterboxTensor(page!.rgb, geo), [1, 3, geo.height, geo.width]);
  const c = performance.now();
  const outputs = await session.run({ [session.inputNames[0]!]: input });
  const d = performance.now();
  const out = outputs[session.outputNames[0]!]!;
  const kept = nms(
    decodeDenseOutput(out.data as Float32Array, info.classes.length, out.dims[2]!, 0.2),
    0.7,
    1000,
  );
  const e = performance.now();
  return { times: [b - a, c - b, d - c, e - d, e - a], boxes: kept.length };
}

for (const p of pages) await onePage(p.file);
const times: number[][] = [[], [], [], [], []];
let boxesPerPass = 0;
for (let r = 0; r < Number(values.rounds); r++) {
  for (const p of pages) {
    const { times: t, boxes } = await onePage(p.file);
    t.forEach((v, i) => times[i]!.push(v));
    if (r === 0) boxesPerPass += boxes;
  }
}
const [decode, letterbox, infer, post, total] = times.map(median) as [number, number, number, number, number];
const result: StageProfile = {
  label: values.label!,
  stages: { decode, letterbox, infer, post, total },
  sessionCreateMs,
  peakRssMb: nodePeakRssMb(),
  boxesPerPass,
};
printResult(result);
