// The app's batch in Cloud mode against a cloud endpoint on 127.0.0.1 that takes 1 s per request:
// files run side by side with up to 16 requests in flight across the batch, each page of a PDF is its
// own upload at the app's DPI, and a retry shows on the file while it runs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchStatus } from '../../src-shared/contract.js';
import type { AppServices } from '../../src-main/services/app-services.js';
import { profileServices } from '../helpers/app-services.js';
import { fakeResult, fixture, listen, type TestServer } from '../lambda/helpers.js';

const FILES = 40;
let endpoint: TestServer;
let services: AppServices;
const events: BatchStatus[] = [];
const seen = { inFlight: 0, maxInFlight: 0, requests: 0, pdfDpi: [] as string[], failedOnce: false };

beforeAll(async () => {
  endpoint = await listen(async (req) => {
    seen.requests++;
    const form = await req.formData();
    const file = form.get('file') as File;
    if (file.type === 'application/pdf') seen.pdfDpi.push(String(form.get('dpi')));
    if (!seen.failedOnce && file.name === 'page-7.png') {
      seen.failedOnce = true;
      return new Response('busy', { status: 503, headers: { 'retry-after': '0' } });
    }
    seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // long enough for 16 to overlap on a busy machine
    seen.inFlight--;
    // The width says which file this was, so results can be matched to their files.
    const width = file.type === 'application/pdf' ? 1000 : Number(/page-(\d+)/.exec(file.name)![1]) + 1;
    return Response.json(fakeResult(1, 1, width));
  });
  const profileDir = mkdtempSync(join(tmpdir(), 'cbd-cloud-batch-'));
  services = profileServices(profileDir, {
    emit: (name, payload) => {
      if (name === 'batch:progress') events.push(payload as BatchStatus);
    },
  });
  services.settings.update({ engine: 'cloud', pdfDpi: 150, cloud: { endpoint: endpoint.url, retries: 2 } });
});
afterAll(async () => {
  await services?.close();
  await endpoint?.close();
});

describe('a batch in Cloud mode', () => {
  it('keeps 16 requests in flight across files and pages, and shows a retry on its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-cloud-pages-'));
    const tiny = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const paths = Array.from({ length: FILES }, (_, i) => {
      const path = join(dir, `page-${i}.png`);
      writeFileSync(path, tiny);
      return path;
    });
    const pdf = join(dir, 'form-3p.pdf');
    writeFileSync(pdf, fixture('form-3p.pdf'));

    const docs = services.openPaths([...paths, pdf]);
    await services.queue.idle();

    expect(seen.maxInFlight).toBe(16);
    expect(seen.requests).toBe(FILES + 3 + 1); // every page once, plus the one retry
    expect(seen.pdfDpi).toEqual(['150', '150', '150']);

    const final = services.queue.status();
    const byId = new Map(final.items.map((i) => [i.id, i]));
    expect(docs.map((d) => byId.get(d.id)!.status)).toEqual(docs.map(() => 'done'));
    expect(byId.get(docs.at(-1)!.id)!.pages).toBe(3);
    const retried = events.flatMap((e) => e.items).find((i) => i.notice !== null);
    expect(retried).toMatchObject({ name: 'page-7.png', notice: 'Retrying after HTTP 503 (attempt 2 of 3)' });
    expect(final.items.every((i) => i.notice === null)).toBe(true);
  });

  it("keeps no more in flight than the deployment's reserved concurrency from the settings", async () => {
    services.settings.update({ cloud: { reservedConcurrency: 5 } });
    Object.assign(seen, { maxInFlight: 0, requests: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'cbd-cloud-reserved-'));
    const tiny = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const paths = Array.from({ length: 12 }, (_, i) => {
      const path = join(dir, `page-${i}.png`);
      writeFileSync(path, tiny);
      return path;
    });
    const docs = services.openPaths(paths);
    await services.queue.idle();
    expect(seen.requests).toBe(12);
    expect(seen.maxInFlight).toBe(5);
    const byId = new Map(services.queue.status().items.map((i) => [i.id, i]));
    expect(docs.map((d) => byId.get(d.id)!.status)).toEqual(docs.map(() => 'done'));
  });
});
