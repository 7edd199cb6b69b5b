// Start a worker thread from a module that sits beside the caller, in sources and in builds alike.
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
