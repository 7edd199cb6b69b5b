// The detector runs in a worker thread: a long run can be cancelled, and the next call starts afresh.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src-main/services/worker-client.js';

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/${f}`, import.meta.url));
const client = new WorkerClient();
afterAll(() => client.close());

describe('worker client', () => {
  it('cancels a run in progress and keeps working afterwards', async () => {
    const abort = new AbortController();
    const run = client.call(
      {
        type: 'detect',
        path: fixture('form-3p.pdf'),
        source: 'form-3p.pdf',
        conf: 0.2,
        dpi: 200,
        modelPath: null,
      },
      abort.signal,
    );
    setTimeout(() => abort.abort(), 50);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });

    const results = await client.call({
      type: 'detect',
      path: fixture('page.png'),
      source: 'page.png',
      conf: 0.2,
      dpi: 200,
      modelPath: null,
    });
    expect(results).toHaveLength(1);
    expect(results[0]!.counts.total).toBeGreaterThan(0);
  });

  it('reports a corrupt file and a wrong model with the core error codes', async () => {
    await expect(
      client.call({
        type: 'detect',
        path: fixture('truth.json'),
        source: 'truth.json',
        conf: 0.2,
        dpi: 200,
        modelPath: null,
      }),
    ).rejects.toMatchObject({ code: 'unsupported_type' });
    await expect(client.call({ type: 'model-info', modelPath: fixture('page.png') })).rejects.toMatchObject({
      code: 'invalid_model',
    });
  });
});
