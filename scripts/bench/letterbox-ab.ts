// Child process: the WebAssembly letterbox against the plain JavaScript one, end to end, in one process. One
// Detector (one onnxruntime session) runs every page as shipped (read, decode, tiling auto), its letterbox
// swapped between the two before each run; the order within a pair alternates, so neither side always runs
// second (warmer caches, a spinning onnxruntime thread).
//   --pages pages.json --reps 5
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { decodeImage, Detector } from '../../src-core/index.js';
import { JsLetterboxer, WasmLetterboxer, type Letterboxer } from '../../src-core/letterbox.js';
import type { BenchPage } from './pages.js';
import { printResult } from './protocol.js';

interface Timing {
  /** Wall-clock ms. */
  ms: number;
  /** CPU ms of the process meanwhile, every thread: what the page cost, whatever else ran on the machine. */
  cpuMs: number;
}

/** One page run with each letterbox, back to back. */
export interface LetterboxSample {
  page: string;
  wasm: Timing;
  js: Timing;
}

const { values } = parseArgs({
  options: {
    pages: { type: 'string' },
    reps: { type: 'string', default: '5' },
    threads: { type: 'string', default: '0' },
    model: { type: 'string' },
  },
});
const threads = Number(values.threads);
const pages = JSON.parse(await readFile(values.pages!, 'utf8')) as BenchPage[];
const detector = await Detector.create({ modelPath: values.model, ...(threads > 0 ? { threads } : {}) });
const sides: Record<'wasm' | 'js', Letterboxer> = { wasm: new WasmLetterboxer(), js: new JsLetterboxer() };

async function timePage(file: string, side: 'wasm' | 'js'): Promise<Timing> {
  // The Detector's own letterbox field, replaced for the measurement only.
  (detector as unknown as { letterboxer: Letterboxer }).letterboxer = sides[side];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const [page] = await decodeImage(await readFile(file));
  await detector.detectPage(page!, { tiling: 'auto' });
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

for (const p of pages) for (const side of ['wasm', 'js'] as const) await timePage(p.file, side);
const samples: LetterboxSample[] = [];
for (let r = 0; r < Number(values.reps); r++) {
  for (const [i, p] of pages.entries()) {
    const order = (r + i) % 2 === 0 ? (['wasm', 'js'] as const) : (['js', 'wasm'] as const);
    const pair: Partial<Record<'wasm' | 'js', Timing>> = {};
    for (const side of order) pair[side] = await timePage(p.file, side);
    samples.push({ page: p.name, wasm: pair.wasm!, js: pair.js! });
  }
}
await detector.dispose();
printResult({ samples });
