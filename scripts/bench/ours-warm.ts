// Child process: times our pipeline warm — read the file, decode it, letterbox, infer, decode boxes, NMS —
// the way the CLI, app and Lambda run it (Detector.detectPage on decodeImage's page).
//   --mode single   one page at a time on one session: per-page latency
//   --mode pool     a DetectorPool of --lanes workers, as the CLI runs a batch: pages per second
//   --mode async    one session, --lanes pages in flight (libvips decodes on its own threads while
//                   onnxruntime-node's run, which is synchronous, holds the main thread)
//   --tiling auto|off|on   the Detector's tiling of big pages (default auto, as shipped)
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DetectorPool } from '../../src-core/detector-pool.js';
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

async function pool(): Promise<WarmResult> {
  const workers = await DetectorPool.create({
    modelPath: values.model,
    workers: lanes,
    threads: threads > 0 ? threads : 1,
  });
  const one = async (file: string) => workers.detectFile(await readFile(file), { tiling });
  // Twice as many files in flight as workers, so a worker never waits for the next file to be read.
  await drain(allFiles(1), 2 * lanes, (_, f) => one(f));
  const files = allFiles(rounds);
  const seconds = await drain(files, 2 * lanes, (_, f) => one(f));
  await workers.dispose();
  return batchResult('pool', seconds, files.length, threads);
}

const modes: Record<string, () => Promise<WarmResult>> = { single, async: asyncLanes, pool };
const run = modes[values.mode!];
if (!run) throw new Error(`unknown --mode ${values.mode}`);
printResult(await run());
