// Child process: where a page's time goes — read + decode, letterbox, onnxruntime, box decoding + NMS — one
// model pass per page, through the core's own stage functions (image.ts, letterbox.ts, nms.ts) and a session
// made as the Detector makes it (model.ts).
//   --model file.onnx --threads 2 --pages pages.json --rounds 2 --label text
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { modelInput } from '../../src-core/detect.js';
import { decodeImage } from '../../src-core/image.js';
import { letterboxGeometry, LetterboxWriter } from '../../src-core/letterbox.js';
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
    label: { type: 'string', default: 'profile' },
  },
});

export interface StageProfile {
  label: string;
  /** Median ms per stage over every timed page. */
  stages: { decode: number; letterbox: number; infer: number; post: number; total: number };
  sessionCreateMs: number;
  peakRssMb: number;
  /** Boxes found over one pass of the pages (a quick sign that the model still detects). */
  boxesPerPass: number;
}

const pages = JSON.parse(await readFile(values.pages!, 'utf8')) as BenchPage[];
const t0 = performance.now();
const threads = Number(values.threads);
const { info, session } = await loadModel(values.model!, threads > 0 ? { threads } : {});
const sessionCreateMs = performance.now() - t0;
const letterboxWriter = new LetterboxWriter();

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
  const input = modelInput(letterboxWriter, page!.rgb, geo);
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
