// Child process: where a page's time goes — read + decode, letterbox (resize + tensor fill), onnxruntime,
// box decoding + NMS — for one model file under chosen session options. It calls the core's own stages
// (image.ts, letterbox.ts, nms.ts) and builds the session itself, so it can try options the Detector
// does not expose.
//   --model file.onnx --threads 2 --opt all|extended|basic|disabled [--no-spin | --spin-stop] [--no-mem-pattern]
//   --pages pages.json --rounds 2
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { modelInput } from '../../src-core/detect.js';
import { decodeImage } from '../../src-core/image.js';
import { WasmLetterboxer, letterboxGeometry } from '../../src-core/letterbox.js';
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
    'spin-stop': { type: 'boolean', default: false },
    'no-mem-pattern': { type: 'boolean', default: false },
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
  // Spin while a run lasts, stop when it returns (rather than keep a core busy through the next decode).
  ...(values['spin-stop'] ? { extra: { session: { force_spinning_stop: '1' } } } : {}),
});
const sessionCreateMs = performance.now() - t0;
const letterboxer = new WasmLetterboxer();
async function onePage(file: string): Promise<{ times: number[]; boxes: number }> {
  const a = performance.now();
  const [page] = await decodeImage(await readFile(file));
  const b = performance.now();
  const geo = letterboxGeometry(
    page!.width,
    page!.height,
    info.imgsz,
    info.rectInput ? info.stride : undefined,
  );
  const input = modelInput(letterboxer, page!.rgb, geo);
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
