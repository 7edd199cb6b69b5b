// Start a worker thread from a module that sits beside the caller, in sources and in builds alike, and end one
// that holds a model.
import v8 from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The old generation a worker's heap starts with, in MiB. V8 sizes it for a small heap: with the ~8 MiB that
 * onnxruntime, sharp and our code keep alive, it has less headroom than the young generation, so V8 keeps
 * starting incremental marking, and a worker that decodes page after page runs a full collection every ~5 pages
 * (concurrent marking on the other core, and the page buffers' release on its own): 10–15% of its CPU. With this
 * headroom the young generation's collections free the pages on their own (2 full collections in 144 pages
 * instead of 27; the pool 100 -> 114 pages/s, peak RSS +25 MiB). V8 reads the flag when it creates an isolate,
 * so it applies to the workers started after it is set, never to the thread that sets it.
 */
export const WORKER_INITIAL_OLD_SPACE_MB = 64;
let workerHeapSized = false;

function sizeWorkerHeaps(): void {
  if (workerHeapSized) return;
  workerHeapSized = true;
  // A size the user chose on the command line wins.
  if (process.execArgv.some((a) => /^--initial[-_]old[-_]space[-_]size/.test(a))) return;
  v8.setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`);
}

/**
 * `name` is the module's file name without extension, next to `callerUrl` (the caller's import.meta.url).
 * Builds load it with the caller's own extension (.js, or .mjs from a bundler). Source runs (tests, tsx)
 * start a tiny bootstrap that registers tsx inside the worker first: Node 20 workers ignore `--import` loaders.
 */
export function spawnSiblingWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  sizeWorkerHeaps();
  const ext = /\.[cm]?[jt]s$/.exec(callerUrl)?.[0] ?? '.js';
  if (ext !== '.ts') return new Worker(new URL(`./${name}${ext}`, callerUrl), options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Asks a worker to end by itself (it releases its onnxruntime session and closes its port on `message`) and
 * terminates it only if it has not within `graceMs`: terminating a thread that still holds a session can abort
 * the whole process while its native objects are torn down.
 */
export async function endWorker(worker: Worker, message: unknown, graceMs: number): Promise<void> {
  const exited = new Promise<'exited'>((resolve) => worker.once('exit', () => resolve('exited')));
  worker.postMessage(message);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') await worker.terminate();
}
