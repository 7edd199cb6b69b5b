import { describe, expect, it, vi } from 'vitest';
import { CheckboxError } from '../../src-shared/errors.js';
import type { BatchStatus } from '../../src-shared/contract.js';
import { BatchQueue, type RunDoc } from '../../src-main/services/batch-queue.js';
import { DocumentStore } from '../../src-main/services/documents.js';

function setup(run: RunDoc, parallel = 1) {
  const docs = new DocumentStore();
  const events: BatchStatus[] = [];
  const queue = new BatchQueue(
    docs,
    run,
    (s) => events.push(s),
    () => 0.2,
    parallel,
  );
  return { docs, queue, events };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('batch queue', () => {
  it('runs every file, records an error without stopping, and reaches 100%', async () => {
    const { docs, queue, events } = setup(async (doc) => {
      if (doc.name === 'bad.png') throw new CheckboxError('corrupt_image', 'The file is damaged.');
      doc.results = [];
    });
    const ids = ['a.png', 'bad.png', 'c.png'].map((n) => docs.add(`/x/${n}`).id);
    queue.enqueue(ids);
    await queue.idle();
    const s = queue.status();
    expect(s).toMatchObject({ running: false, total: 3, finished: 3, etaMs: 0 });
    expect(s.items.map((i) => i.status)).toEqual(['done', 'error', 'done']);
    expect(s.items[1]!.error).toEqual({ code: 'corrupt_image', message: 'The file is damaged.' });
    expect(events.some((e) => e.running && e.current?.name === 'bad.png')).toBe(true);
  });

  it('cancel stops the file in progress, drops the queue and keeps finished results', async () => {
    let release: () => void = () => undefined;
    const { docs, queue } = setup(
      (doc, signal) =>
        new Promise<void>((resolve, reject) => {
          if (doc.name === 'slow.png') {
            signal.addEventListener('abort', () => reject(new CheckboxError('cancelled', 'Cancelled.')));
            release = resolve;
          } else {
            doc.results = [];
            resolve();
          }
        }),
    );
    const ids = ['a.png', 'slow.png', 'c.png', 'd.png'].map((n) => docs.add(`/x/${n}`).id);
    queue.enqueue(ids);
    await new Promise((r) => setTimeout(r, 20));
    expect(queue.status().current?.name).toBe('slow.png');
    queue.cancel();
    await queue.idle();
    release();
    expect(queue.status().items.map((i) => i.status)).toEqual([
      'done',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(docs.get(ids[0]!).results).toEqual([]);
  });

  it('runs up to `parallel` files at once, never more, and cancel stops every one in progress', async () => {
    const finish = new Map<string, () => void>();
    let inFlight = 0;
    let most = 0;
    const { docs, queue } = setup(
      (doc, signal) =>
        new Promise<void>((resolve, reject) => {
          most = Math.max(most, ++inFlight);
          const end = (settle: () => void) => {
            inFlight--;
            settle();
          };
          finish.set(doc.name, () => end(resolve));
          signal.addEventListener('abort', () =>
            end(() => reject(new CheckboxError('cancelled', 'Cancelled.'))),
          );
        }),
      2,
    );
    const ids = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'].map((n) => docs.add(`/x/${n}`).id);
    const statuses = () => queue.status().items.map((i) => i.status);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      queue.enqueue(ids);
      await tick();
      expect(statuses()).toEqual(['running', 'running', 'queued', 'queued', 'queued']);
      expect(queue.status().current?.name).toBe('b.png');
      expect(queue.runSize).toBe(5);
      vi.advanceTimersByTime(1000);
      finish.get('a.png')!();
      await tick();
      expect(statuses()).toEqual(['done', 'running', 'running', 'queued', 'queued']);
      // A file took 1 s; four are left, two at a time.
      expect(queue.status()).toMatchObject({ finished: 1, etaMs: 2000 });
    } finally {
      vi.useRealTimers();
    }
    queue.cancel();
    await queue.idle();
    expect(statuses()).toEqual(['done', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(most).toBe(2);
  });
  it('counts only the latest batch, a retry counts with the batch it came from, earlier files stay listed', async () => {
    let fail = true;
    const { docs, queue } = setup(async (doc) => {
      if (doc.name === 'b.png' && fail) throw new CheckboxError('corrupt_image', 'The file is damaged.');
      doc.results = [];
    });
    const first = ['a.png', 'b.png'].map((n) => docs.add(`/x/${n}`).id);
    queue.startBatch(first);
    await queue.idle();
    // Retrying the failed file: the header still counts both files of its batch.
    fail = false;
    queue.enqueue([first[1]!]);
    expect(queue.status()).toMatchObject({ total: 2, finished: 1 });
    await queue.idle();
    expect(queue.status()).toMatchObject({ total: 2, finished: 2 });

    queue.startBatch([docs.add('/y/c.png').id]);
    await queue.idle();
    const s = queue.status();
    expect(s).toMatchObject({ total: 1, finished: 1 });
    expect(s.items.map((i) => i.name)).toEqual(['a.png', 'b.png', 'c.png']);
    expect(s.items.filter((i) => i.batch === s.batch).map((i) => i.name)).toEqual(['c.png']);
  });
});
