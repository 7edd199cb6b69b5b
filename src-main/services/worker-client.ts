// Talks to one core worker. Cancelling a call terminates the worker (a decode or an inference cannot
// be interrupted from inside), and the next call starts a fresh one.
import { Worker } from 'node:worker_threads';
import { CheckboxError } from '../../src-core/errors.js';
import type { RequestOf, WorkerRequest, WorkerResponse, WorkerValues } from './worker-protocol.js';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * Builds load the bundled core-worker.js. Source runs (tests, browser mode under tsx) start a tiny
 * bootstrap that registers tsx inside the worker first: Node 20 workers ignore `--import` loaders.
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./core-worker.js', import.meta.url));
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./core-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  call<T extends WorkerRequest['type']>(req: RequestOf<T> & { type: T }, signal?: AbortSignal): Promise<WorkerValues[T]> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise<WorkerValues[T]>((resolve, reject) => {
      const onAbort = () => this.restart(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as WorkerValues[T]);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      worker.postMessage({ ...req, id });
    });
  }

  /** Stops the worker; pending calls fail with `reason`. The next call starts a new worker. */
  restart(reason: Error = cancelled()): void {
    const w = this.worker;
    this.worker = null;
    this.failAll(reason);
    void w?.terminate();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(new CheckboxError('cancelled', 'The app is closing.'));
    await w?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker();
    w.on('message', (msg: WorkerResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new CheckboxError(msg.error.code as CheckboxError['code'], msg.error.message));
    });
    w.on('error', (err) => {
      if (this.worker === w) this.restart(new CheckboxError('internal', `The detector stopped: ${err.message}`));
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.restart(new CheckboxError('internal', `The detector exited (code ${code}).`));
    });
    this.worker = w;
    return w;
  }

  private failAll(reason: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(reason);
  }
}

function cancelled(): CheckboxError {
  return new CheckboxError('cancelled', 'Cancelled.');
}
