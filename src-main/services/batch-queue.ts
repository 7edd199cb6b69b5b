// Runs detection over the open documents, up to `parallel` files at once (one per detector worker): progress,
// current file, time left, per-file status, errors recorded without stopping the batch, and cancel that keeps
// what finished.
import { toCheckboxError } from '../../src-shared/errors.js';
import type { BatchStatus } from '../../src-shared/contract.js';
import type { Doc, DocumentStore } from './documents.js';

export type RunDoc = (doc: Doc, signal: AbortSignal) => Promise<void>;

export class BatchQueue {
  private readonly queue: string[] = [];
  /** Documents of the current run, i.e. since the queue was last idle. */
  private run: string[] = [];
  private finishedMs: number[] = [];
  /** Files in progress, in the order they started. */
  private readonly running = new Map<string, AbortController>();
  private idleWaiters: Array<() => void> = [];
  private seq = 0;
  /** The latest batch: the table shows its files only, earlier ones stay in the document list. */
  private batch = 0;

  constructor(
    private readonly docs: DocumentStore,
    private readonly runDoc: RunDoc,
    private readonly onProgress: (status: BatchStatus) => void,
    private readonly countConf: () => number,
    /** Files at once; a function when it depends on the engine of the moment. */
    private readonly parallelism: number | (() => number) = 1,
  ) {}

  private get parallel(): number {
    return typeof this.parallelism === 'number' ? this.parallelism : this.parallelism();
  }

  enqueue(ids: string[]): void {
    if (this.running.size === 0 && this.queue.length === 0) {
      this.run = [];
      this.finishedMs = [];
    }
    for (const id of ids) {
      const doc = this.docs.get(id);
      Object.assign(doc, { status: 'queued', error: null, notice: null });
      if (!this.queue.includes(id)) this.queue.push(id);
      if (!this.run.includes(id)) this.run.push(id);
    }
    this.emit();
    this.pump();
  }

  /** Runs files opened together as a new batch; retries (enqueue) keep the batch a file belongs to. */
  startBatch(ids: string[]): void {
    this.batch++;
    for (const id of ids) this.docs.get(id).batch = this.batch;
    this.enqueue(ids);
  }

  /** Stops the files in progress and drops the queued ones; finished results stay. */
  cancel(): void {
    for (const id of this.queue.splice(0)) this.mark(id, 'cancelled');
    for (const abort of this.running.values()) abort.abort();
    this.emit();
  }

  /** Files in the current run (since the queue was last idle), finished ones included. */
  get runSize(): number {
    return this.run.length;
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  status(): BatchStatus {
    const conf = this.countConf();
    const items = this.docs.list().map((d) => this.docs.summary(d, conf));
    const inBatch = items.filter((i) => i.batch === this.batch);
    const finished = inBatch.filter((i) => i.status !== 'queued' && i.status !== 'running').length;
    // Time left is the whole queue's: the batch's files may wait behind an earlier batch's.
    const remaining = this.queue.length + this.running.size;
    const avg = this.finishedMs.length
      ? this.finishedMs.reduce((a, b) => a + b, 0) / this.finishedMs.length
      : null;
    // The file shown as current: the latest to start of those in progress.
    const currentId = [...this.running.keys()].at(-1);
    const currentDoc = items.find((i) => i.id === currentId);
    // Files take about the average each, `parallel` at a time.
    const eta = avg === null ? null : Math.round(avg * Math.ceil(remaining / this.parallel));
    return {
      seq: ++this.seq,
      running: this.running.size > 0,
      batch: this.batch,
      total: inBatch.length,
      finished,
      current: currentDoc ? { id: currentDoc.id, name: currentDoc.name } : null,
      etaMs: remaining === 0 ? 0 : eta,
      items,
    };
  }

  /** Starts queued files while fewer than `parallel` run; tells idle() waiters when all is done. */
  private pump(): void {
    while (this.running.size < this.parallel && this.queue.length > 0) {
      const id = this.queue.shift()!;
      let doc;
      try {
        doc = this.docs.get(id);
      } catch {
        continue; // closed while queued
      }
      void this.runOne(id, doc);
    }
    if (this.running.size === 0 && this.queue.length === 0) {
      for (const fn of this.idleWaiters.splice(0)) fn();
    }
  }

  private async runOne(id: string, doc: Doc): Promise<void> {
    const abort = new AbortController();
    this.running.set(id, abort);
    doc.status = 'running';
    this.emit();
    const started = Date.now();
    try {
      await this.runDoc(doc, abort.signal);
      doc.status = 'done';
      doc.notice = null;
    } catch (err) {
      const e = toCheckboxError(err);
      doc.status = e.code === 'cancelled' ? 'cancelled' : 'error';
      doc.error = e.code === 'cancelled' ? null : { code: e.code, message: e.message };
    }
    this.finishedMs.push(Date.now() - started);
    this.running.delete(id);
    this.emit();
    this.pump();
  }

  private mark(id: string, status: Doc['status']): void {
    try {
      this.docs.get(id).status = status;
    } catch {
      /* closed meanwhile */
    }
  }

  private emit(): void {
    this.onProgress(this.status());
  }
}
