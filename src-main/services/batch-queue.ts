// Runs detection over the open documents one file at a time: progress, current file, time left,
// per-file status, errors recorded without stopping the batch, and cancel that keeps what finished.
import { toCheckboxError } from '../../src-core/errors.js';
import type { BatchStatus } from '../ipc/contract.js';
import type { Doc, DocumentStore } from './documents.js';

export type RunDoc = (doc: Doc, signal: AbortSignal) => Promise<void>;

export class BatchQueue {
  private readonly queue: string[] = [];
  /** Documents of the current run, i.e. since the queue was last idle. */
  private run: string[] = [];
  private finishedMs: number[] = [];
  private current: { id: string; abort: AbortController } | null = null;
  private idleWaiters: Array<() => void> = [];
  private seq = 0;

  constructor(
    private readonly docs: DocumentStore,
    private readonly runDoc: RunDoc,
    private readonly onProgress: (status: BatchStatus) => void,
    private readonly countConf: () => number,
  ) {}

  enqueue(ids: string[]): void {
    if (!this.current && this.queue.length === 0) {
      this.run = [];
      this.finishedMs = [];
    }
    for (const id of ids) {
      const doc = this.docs.get(id);
      Object.assign(doc, { status: 'queued', error: null });
      if (!this.queue.includes(id)) this.queue.push(id);
      if (!this.run.includes(id)) this.run.push(id);
    }
    this.emit();
    if (!this.current) void this.pump();
  }

  /** Stops the file in progress and drops the queued ones; finished results stay. */
  cancel(): void {
    for (const id of this.queue.splice(0)) this.mark(id, 'cancelled');
    this.current?.abort.abort();
    this.emit();
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.current && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  status(): BatchStatus {
    const conf = this.countConf();
    const items = this.docs.list().map((d) => this.docs.summary(d, conf));
    const inRun = items.filter((i) => this.run.includes(i.id));
    const finished = inRun.filter((i) => i.status !== 'queued' && i.status !== 'running').length;
    const remaining = inRun.length - finished;
    const avg = this.finishedMs.length
      ? this.finishedMs.reduce((a, b) => a + b, 0) / this.finishedMs.length
      : null;
    const currentDoc = this.current ? items.find((i) => i.id === this.current?.id) : undefined;
    return {
      seq: ++this.seq,
      running: this.current !== null,
      total: inRun.length,
      finished,
      current: currentDoc ? { id: currentDoc.id, name: currentDoc.name } : null,
      etaMs: avg === null || remaining === 0 ? (remaining === 0 ? 0 : null) : Math.round(avg * remaining),
      items,
    };
  }

  private async pump(): Promise<void> {
    for (let id = this.queue.shift(); id !== undefined; id = this.queue.shift()) {
      let doc;
      try {
        doc = this.docs.get(id);
      } catch {
        continue; // closed while queued
      }
      const abort = new AbortController();
      this.current = { id, abort };
      doc.status = 'running';
      this.emit();
      const started = Date.now();
      try {
        await this.runDoc(doc, abort.signal);
        doc.status = 'done';
      } catch (err) {
        const e = toCheckboxError(err);
        doc.status = e.code === 'cancelled' ? 'cancelled' : 'error';
        doc.error = e.code === 'cancelled' ? null : { code: e.code, message: e.message };
      }
      this.finishedMs.push(Date.now() - started);
      this.current = null;
      this.emit();
    }
    for (const fn of this.idleWaiters.splice(0)) fn();
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
