// Start a worker thread from a module that sits beside the caller, in sources and in builds alike, and end one
// that holds a model.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `name` is the module's file name without extension, next to `callerUrl` (the caller's import.meta.url).
 * Builds load it with the caller's own extension (.js, or .mjs from a bundler). Source runs (tests, tsx)
 * start a tiny bootstrap that registers tsx inside the worker first: Node 20 workers ignore `--import` loaders.
 */
export function spawnSiblingWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
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
