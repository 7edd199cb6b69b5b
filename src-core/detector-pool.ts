// The worker pool of the CLI and the app: worker threads, each with its own Detector, so a batch keeps every
// core busy (decoding and letterboxing included, which a single session's intra-op threads leave to one core)
// and the asking thread never blocks on a decode. Requests (worker-protocol.ts): detect, render, annotate,
// model info; a signal cancels one.
import os from 'node:os';
import type { DetectFileOptions } from './detect.js';
import { CheckboxError } from '../src-shared/errors.js';
import type { DetectionResult } from '../src-shared/result.js';
import { cancelledError, WorkerClient } from './worker-client.js';
import type {
  FileInput,
  ModelChoice,
  RequestOf,
  WorkerModelInfo,
  WorkerRequest,
  WorkerValues,
} from './worker-protocol.js';

export interface DetectorPoolOptions {
  /** Worker threads (default: one per core), started when first needed. */
  workers?: number;
  /** The model of detectFile and create (default: the bundled one). */
  modelPath?: string;
  /** Inference threads per worker for detectFile and create (default 1). */
  threads?: number;
}

/** Requests a worker holds at once: with the next file already in hand, a worker that finishes one never waits
 *  for the asking thread to send another (and decodes it while the first one's inference runs). */
const REQUESTS_PER_WORKER = 2;

export class DetectorPool {
  private readonly lanes: WorkerClient[];
  /** Callers waiting for a worker with room. */
  private waiters: Array<() => void> = [];
  private closed = false;
  /** The model of detectFile. */
  readonly defaultModel: ModelChoice;

  constructor(opts: DetectorPoolOptions = {}) {
    const count = opts.workers ?? os.availableParallelism();
    if (!(Number.isInteger(count) && count >= 1))
      throw new CheckboxError('invalid_argument', `workers must be a positive integer, got ${count}`);
    this.lanes = Array.from({ length: count }, () => new WorkerClient(() => this.wake()));
    this.defaultModel = { modelPath: opts.modelPath ?? null, threads: opts.threads ?? 1 };
  }

  /** A pool whose every worker has loaded the model, so that a bad model file fails here, before any file. */
  static async create(opts: DetectorPoolOptions = {}): Promise<DetectorPool & { model: WorkerModelInfo }> {
    const pool = new DetectorPool(opts);
    try {
      const [model] = await Promise.all(
        pool.lanes.map((lane) => lane.call({ type: 'model-info', model: pool.defaultModel })),
      );
      return Object.assign(pool, { model: model! });
    } catch (err) {
      await pool.dispose();
      throw err;
    }
  }

  get size(): number {
    return this.lanes.length;
  }

  /** Runs a request on the least busy worker, waiting while every worker holds as many as it may. */
  async run<T extends WorkerRequest['type']>(
    req: RequestOf<T> & { type: T },
    signal?: AbortSignal,
  ): Promise<WorkerValues[T]> {
    for (;;) {
      if (this.closed) throw new CheckboxError('cancelled', 'The detector pool was closed.');
      if (signal?.aborted) throw cancelledError();
      const lane = this.lanes.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (lane.busy < REQUESTS_PER_WORKER) return lane.call<T>(req, signal);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  /** Every page of one file on the pool's model, like Detector.detectFile. */
  async detectFile(
    file: FileInput,
    opts: Omit<DetectFileOptions, 'pages'> = {},
    signal?: AbortSignal,
  ): Promise<DetectionResult[]> {
    return (await this.run({ type: 'detect', file, model: this.defaultModel, opts }, signal)).results;
  }

  /** A worker has room again: every waiter looks again, in the order they came. */
  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Cancels what is still running or waiting, then has each worker release its model and end. */
  async dispose(): Promise<void> {
    this.closed = true;
    this.wake();
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }
}
