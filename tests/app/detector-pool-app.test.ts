// The app's services on the core's worker pool (browser mode, real model): the core's results, a bad file that
// leaves the others alone, cancel then retry, and an export whose images come from one decode per document.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, type DetectionResult } from '../../src-core/index.js';
import { startWebServer, type RunningWebServer } from '../../src-main/web-server.js';
import { truncated } from '../helpers/bad-inputs.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';

let server: RunningWebServer;
let dir: string;
const boxes = (results: DetectionResult[]) => results.map((r) => r.detections.map((d) => [d.class, d.box]));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbd-app-pool-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startWebServer({ port: 0, profileDir: join(dir, 'profile'), rendererDir: dir });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('app services on the worker pool', () => {
  it('detects as the core does, and a bad file fails alone', async () => {
    const bad = join(dir, 'broken.png');
    writeFileSync(bad, truncated('page.png'));
    const tif = fixture('form-2p.tif');
    const docs = await server.services.openNamedPaths([tif, bad, fixture('page.png')]);
    await server.services.queue.idle();
    const items = (await server.services.handlers.getBatch!(undefined)).items;
    expect(docs.map((d) => items.find((i) => i.id === d.id)?.status)).toEqual(['done', 'error', 'done']);
    expect(items.find((i) => i.id === docs[1]!.id)?.error?.code).toBe('corrupt_image');

    const detector = await Detector.create({ modelPath: MODEL_PATH });
    const core = await detector.detectFile(readFileSync(tif), { conf: 0.05 });
    await detector.dispose();
    const app = (await server.services.handlers.getResults!({ docId: docs[0]!.id })) as DetectionResult[];
    expect(boxes(app)).toEqual(boxes(core));
  });

  it('cancels a file in progress, and runs it again on retry', async () => {
    const [doc] = await server.services.openNamedPaths([fixture('form-3p.pdf')]);
    server.services.handlers.cancelBatch!(undefined);
    await server.services.queue.idle();
    const item = async () =>
      (await server.services.handlers.getBatch!(undefined)).items.find((i) => i.id === doc!.id);
    expect((await item())?.status).toBe('cancelled');
    server.services.handlers.rerun!({ docIds: [doc!.id] });
    await server.services.queue.idle();
    expect((await item())?.status).toBe('done');
    expect(await server.services.handlers.getResults!({ docId: doc!.id })).toHaveLength(3);
  });

  it('exports annotated pages and training images of every page, the same pixels the viewer shows', async () => {
    const tif = fixture('form-2p.tif');
    const [doc] = await server.services.openNamedPaths([tif]);
    await server.services.queue.idle();
    const out = await server.services.handlers.exportResults!({
      scope: 'document',
      docId: doc!.id,
      formats: ['png', 'jpeg', 'yolo'],
      conf: 0.2,
    });
    const names = out.files.map((f) => f.slice(out.dir.length + 1)).sort();
    expect(names).toEqual([
      'form-2p_p1.annotated.jpg',
      'form-2p_p1.annotated.png',
      'form-2p_p2.annotated.jpg',
      'form-2p_p2.annotated.png',
      'yolo/classes.txt',
      'yolo/images/form-2p_p1.png',
      'yolo/images/form-2p_p2.png',
      'yolo/labels/form-2p_p1.txt',
      'yolo/labels/form-2p_p2.txt',
    ]);
    for (const page of [1, 2]) {
      const shown = await server.services.handlers.getPageImage!({ docId: doc!.id, page });
      const image = readFileSync(join(out.dir, 'yolo/images', `${basename(tif, '.tif')}_p${page}.png`));
      expect(Buffer.from(shown.data).equals(image)).toBe(true);
      const drawn = await sharp(join(out.dir, `form-2p_p${page}.annotated.jpg`)).metadata();
      expect([drawn.format, drawn.width, drawn.height]).toEqual(['jpeg', shown.width, shown.height]);
    }
  });
});
