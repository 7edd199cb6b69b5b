// Talks to one pool worker, started on the first call and again after a crash. Cancelling a call answers the
// caller at once and tells the worker to stop at its next page. The thread is never terminated while it holds
// a model (onnxruntime can abort the whole process then), only when it has not ended by itself after close.
import type { Worker } from 'node:worker_threads';
import { CheckboxError } from '../src-shared/errors.js';
import { endWorker, spawnSiblingWorker } from './spawn-worker.js';
import type {
  ControlMessage,
  RequestOf,
  WorkerRequest,
  WorkerResponse,
  WorkerValues,
} from './worker-protocol.js';

interface Caller {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

const CLOSE_GRACE_MS = 10_000;

export const cancelledError = (message = 'Cancelled.'): CheckboxError =>
  new CheckboxError('cancelled', message);

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Callers still waiting for an answer. */
  private readonly callers = new Map<number, Caller>();
  /** Requests the worker has not answered yet (a cancelled one stays until its page ends). */
  private readonly running = new Map<number, () => void>();
  private readonly runningDone = new Map<number, Promise<void>>();

  /** `onFree`: the worker answered a request (or stopped), so it holds one fewer. */
  constructor(private readonly onFree: () => void = () => undefined) {}

  /** Requests the worker holds: the pool gives a worker at most a few at once. */
  get busy(): number {
    return this.running.size;
  }

  call<T extends WorkerRequest['type']>(
    req: RequestOf<T> & { type: T },
    signal?: AbortSignal,
  ): Promise<WorkerValues[T]> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    const worker = this.ensure();
    const id = this.nextId++;
    this.runningDone.set(id, new Promise<void>((done) => this.running.set(id, done)));
    return new Promise<WorkerValues[T]>((resolve, reject) => {
      const onAbort = () => {
        worker.postMessage({ type: 'cancel', id } satisfies ControlMessage);
        this.answer(id, { ok: false, error: cancelledError() });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.callers.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as WorkerValues[T]);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      // File bytes go as a copy the worker owns (moved, not cloned again): the caller keeps its own, and a
      // Buffer may be a view into Node's shared pool.
      if ('file' in req && req.file instanceof Uint8Array) {
        const file = new Uint8Array(req.file);
        worker.postMessage({ ...req, file, id }, [file.buffer]);
      } else worker.postMessage({ ...req, id });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    for (const id of this.running.keys()) w.postMessage({ type: 'cancel', id } satisfies ControlMessage);
    for (const id of [...this.callers.keys()])
      this.answer(id, { ok: false, error: cancelledError('The detector is closing.') });
    const grace = new Promise<void>((r) => setTimeout(r, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.allSettled(this.runningDone.values()), grace]);
    await endWorker(w, { type: 'close' } satisfies ControlMessage, CLOSE_GRACE_MS);
  }

  private answer(id: number, outcome: { ok: true; value: unknown } | { ok: false; error: Error }): void {
    const caller = this.callers.get(id);
    if (!caller) return;
    this.callers.delete(id);
    if (outcome.ok) caller.resolve(outcome.value);
    else caller.reject(outcome.error);
  }

  private finished(id: number): void {
    this.running.get(id)?.();
    this.running.delete(id);
    this.runningDone.delete(id);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = spawnSiblingWorker(import.meta.url, 'pool-worker');
    w.on('message', (msg: WorkerResponse) => {
      this.finished(msg.id);
      this.answer(
        msg.id,
        msg.ok ? msg : { ok: false, error: new CheckboxError(msg.error.code, msg.error.message) },
      );
      this.onFree();
    });
    // A worker that dies (out of memory, say) fails the requests it holds; the next call starts another.
    const crashed = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const id of [...this.running.keys()]) this.finished(id);
      for (const id of [...this.callers.keys()])
        this.answer(id, { ok: false, error: new CheckboxError('internal', why) });
      this.onFree();
    };
    w.on('error', (err) => crashed(`a detector worker stopped: ${err.message}`));
    w.on('exit', (code) => crashed(`a detector worker exited (code ${code})`));
    this.worker = w;
    return w;
  }
}
