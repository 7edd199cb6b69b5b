// Detection for batches: several worker threads, each with its own Detector and one inference thread, so a
// batch keeps every core busy — decoding and letterboxing included, which a single session's intra-op
// threads leave to one core.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { DetectFileOptions } from './detect.js';
import { CheckboxError, type ErrorCode } from '../src-shared/errors.js';
import type { DetectionResult } from '../src-shared/result.js';
import { endWorker, spawnSiblingWorker } from './spawn-worker.js';

export interface PoolWorkerData {
  modelPath?: string;
  threads: number;
}
export interface PoolRequest {
  id: number;
  data: ArrayBuffer;
  opts: Omit<DetectFileOptions, 'pages'>;
}
/** Sent last (endWorker): release the model and let the thread end. */
export interface PoolClose {
  close: true;
}
type ErrorBody = { code: ErrorCode; message: string };
export type PoolReply =
  | { ready: { name: string; version: string } }
  | { fatal: ErrorBody }
  | { id: number; results: DetectionResult[] }
  | { id: number; error: ErrorBody };

export interface DetectorPoolOptions {
  modelPath?: string;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Inference threads per worker (default 1). */
  threads?: number;
}

/** A worker and the files it holds: the one it is on and, at most, the next. */
interface Lane {
  worker: Worker;
  jobs: Job[];
}

/** Files a worker holds at once: with the next file already in hand, a worker that finishes one never waits
 *  for the main thread to send another (and decodes it while the first one's inference runs). */
const FILES_PER_WORKER = 2;
/** How long a worker may take to release its model before it is terminated anyway. */
const CLOSE_TIMEOUT_MS = 10_000;

interface Job {
  id: number;
  data: Uint8Array;
  opts: PoolRequest['opts'];
  resolve: (r: DetectionResult[]) => void;
  reject: (e: Error) => void;
}

export class DetectorPool {
  private nextId = 1;
  private readonly queue: Job[] = [];
  /** Every file given and not yet answered, for dispose to wait on. */
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly lanes: Lane[],
    readonly model: { name: string; version: string },
  ) {
    for (const lane of lanes) {
      lane.worker.on('message', (msg: PoolReply) => this.onReply(lane, msg));
      lane.worker.on('error', (err) => this.onCrash(lane, err));
      lane.worker.on('exit', (code) => {
        if (!this.closed) this.onCrash(lane, new Error(`it exited with code ${code}`));
      });
    }
  }

  static async create(opts: DetectorPoolOptions = {}): Promise<DetectorPool> {
    const count = opts.workers ?? os.availableParallelism();
    if (!(Number.isInteger(count) && count >= 1))
      throw new CheckboxError('invalid_argument', `workers must be a positive integer, got ${count}`);
    const workerData: PoolWorkerData = { modelPath: opts.modelPath, threads: opts.threads ?? 1 };
    const workers = Array.from({ length: count }, () =>
      spawnSiblingWorker(import.meta.url, 'pool-worker', { workerData }),
    );
    // Every worker loads the model; the first failure (a bad model file) is the pool's.
    const ready = workers.map(
      (w) =>
        new Promise<{ name: string; version: string }>((resolve, reject) => {
          w.once('message', (msg: PoolReply) => {
            if ('ready' in msg) resolve(msg.ready);
            else if ('fatal' in msg) reject(new CheckboxError(msg.fatal.code, msg.fatal.message));
          });
          w.once('error', reject);
        }),
    );
    try {
      const [model] = await Promise.all(ready);
      return new DetectorPool(
        workers.map((worker) => ({ worker, jobs: [] })),
        model!,
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  get size(): number {
    return this.lanes.length;
  }

  /** Every page of one file, like Detector.detectFile, on the next free worker. */
  detectFile(data: Uint8Array, opts: PoolRequest['opts'] = {}): Promise<DetectionResult[]> {
    if (this.closed) return Promise.reject(new CheckboxError('internal', 'the detector pool was closed'));
    const answer = new Promise<DetectionResult[]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, data, opts, resolve, reject });
      this.dispatch();
    });
    const tracked = answer.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return answer;
  }

  private dispatch(): void {
    // Fill every lane's first slot before any lane's second, so that a short batch still spreads out.
    for (let slot = 0; slot < FILES_PER_WORKER; slot++) {
      for (const lane of this.lanes) {
        if (lane.jobs.length > slot) continue;
        const job = this.queue.shift();
        if (!job) return;
        lane.jobs.push(job);
        // A copy the worker owns (transferred, not cloned again): the caller keeps its bytes, and a
        // Buffer may be a view into Node's shared pool. (Buffer#slice would not copy.)
        const data = new Uint8Array(job.data).buffer;
        lane.worker.postMessage({ id: job.id, data, opts: job.opts } satisfies PoolRequest, [data]);
      }
    }
  }

  private onReply(lane: Lane, msg: PoolReply): void {
    if (!('id' in msg)) return;
    const at = lane.jobs.findIndex((j) => j.id === msg.id);
    if (at < 0) return;
    const [job] = lane.jobs.splice(at, 1) as [Job];
    if ('results' in msg) job.resolve(msg.results);
    else job.reject(new CheckboxError(msg.error.code, msg.error.message));
    this.dispatch();
  }

  /** A worker that dies (out of memory, say) fails the files it holds and leaves the pool; the rest go on. */
  private onCrash(lane: Lane, err: Error): void {
    const index = this.lanes.indexOf(lane);
    if (index >= 0) this.lanes.splice(index, 1);
    for (const job of lane.jobs.splice(0))
      job.reject(new CheckboxError('internal', `a detector worker stopped: ${err.message}`));
    if (this.lanes.length > 0) return;
    for (const job of this.queue.splice(0))
      job.reject(new CheckboxError('internal', `every detector worker stopped: ${err.message}`));
  }

  /** Waits for the files already given, then has each worker release its model and end. */
  async dispose(): Promise<void> {
    this.closed = true;
    await Promise.all(this.pending);
    await Promise.all(
      this.lanes.map((l) => endWorker(l.worker, { close: true } satisfies PoolClose, CLOSE_TIMEOUT_MS)),
    );
  }
}
