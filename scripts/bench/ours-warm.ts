// Child process: times our pipeline warm — read the file, decode it, letterbox, infer, decode boxes, NMS —
// the way the CLI, app and Lambda run it (Detector.detectPage on decodeImage's page).
//   --mode single   one page at a time on one session: per-page latency
//   --mode lanes    --lanes worker threads, each with its own session: pages per second for a batch
//   --mode async    one session, --lanes pages in flight (libvips decodes on its own threads while
//                   onnxruntime-node's run, which is synchronous, holds the main thread)
//   --tiling auto|off|on   the Detector's tiling of big pages (default auto, as shipped)
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Detector, TILING_MODES, type TilingMode } from '../../src-core/index.js';
import { detectFile } from './detect-file.js';
import type { BenchPage } from './pages.js';
import { nodePeakRssMb, printResult, type PageSample, type WarmResult } from './protocol.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0' },
    lanes: { type: 'string', default: '2' },
    mode: { type: 'string', default: 'single' },
    model: { type: 'string' },
    label: { type: 'string', default: 'ours' },
    tiling: { type: 'string', default: 'auto' },
  },
});
if (!(TILING_MODES as readonly string[]).includes(values.tiling!))
  throw new Error(`unknown --tiling ${values.tiling}`);
const tiling = values.tiling as TilingMode;
const pages = JSON.parse(await readFile(values.pages!, 'utf8')) as BenchPage[];
const rounds = Number(values.rounds);
const threads = Number(values.threads);
const lanes = Number(values.lanes);
const detectorOpts = { modelPath: values.model, ...(threads > 0 ? { threads } : {}) };

async function single(): Promise<WarmResult> {
  const detector = await Detector.create(detectorOpts);
  for (const p of pages) await detectFile(detector, p.file, { tiling });
  const samples: PageSample[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const p of pages)
      samples.push({ page: p.name, ...(await detectFile(detector, p.file, { tiling })) });
  }
  await detector.dispose();
  return {
    label: values.label!,
    samples,
    peakRssMb: nodePeakRssMb(),
    notes: { threads, mode: 'single', tiling },
  };
}

/** Run `work` over the queue of files with `lanes` pulling in parallel; returns the wall time in seconds. */
async function drain(
  files: string[],
  lanes: number,
  work: (lane: number, file: string) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next < files.length) await work(lane, files[next++]!);
    }),
  );
  return (performance.now() - t0) / 1000;
}

function batchResult(mode: string, seconds: number, files: number, threadsPerLane: number): WarmResult {
  return {
    label: values.label!,
    samples: [],
    batch: { pages: files, seconds, pagesPerSecond: files / seconds, lanes, threadsPerLane },
    peakRssMb: nodePeakRssMb(),
    notes: { mode, lanes, threads, tiling },
  };
}

const allFiles = (n: number): string[] => Array.from({ length: n }, () => pages.map((p) => p.file)).flat();

async function asyncLanes(): Promise<WarmResult> {
  const detector = await Detector.create(detectorOpts);
  await drain(allFiles(1), lanes, (_, f) => detectFile(detector, f, { tiling }));
  const files = allFiles(rounds);
  const seconds = await drain(files, lanes, (_, f) => detectFile(detector, f, { tiling }));
  await detector.dispose();
  return batchResult('async', seconds, files.length, threads);
}

/** The bench runs this file bundled (children.ts), with the lane bundled beside it. */
const LANE = new URL('./batch-lane.mjs', import.meta.url);

async function workerLanes(): Promise<WarmResult> {
  const workers = Array.from(
    { length: lanes },
    () => new Worker(LANE, { workerData: { ...detectorOpts, tiling } }),
  );
  const pending = new Map<Worker, (v: unknown) => void>();
  for (const w of workers) {
    w.on('message', (msg: { error?: string }) => {
      if (msg.error) throw new Error(msg.error);
      pending.get(w)?.(msg);
    });
  }
  const ask = (w: Worker, file: string | null): Promise<unknown> =>
    new Promise((resolve) => {
      pending.set(w, resolve);
      w.postMessage(file);
    });
  await Promise.all(workers.map((w) => ask(w, null))); // every session created
  await drain(allFiles(1), lanes, (lane, f) => ask(workers[lane]!, f));
  const files = allFiles(rounds);
  const seconds = await drain(files, lanes, (lane, f) => ask(workers[lane]!, f));
  await Promise.all(workers.map((w) => w.terminate()));
  return batchResult('workers', seconds, files.length, threads);
}

const modes: Record<string, () => Promise<WarmResult>> = { single, async: asyncLanes, lanes: workerLanes };
const run = modes[values.mode!];
if (!run) throw new Error(`unknown --mode ${values.mode}`);
printResult(await run());
