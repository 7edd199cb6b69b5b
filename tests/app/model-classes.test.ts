// The app's services (browser mode, real workers) with a user's model whose classes are unchecked, checked,
// crossed: the batch's counts, the page results and a person's correction count each class.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../src-core/index.js';
import { startWebServer, type RunningWebServer } from '../../src-main/web-server.js';
import { THREE_CLASS_COUNTS, threeClassFixture } from '../helpers/three-class-model.js';

let fx: Awaited<ReturnType<typeof threeClassFixture>>;
let server: RunningWebServer;
let profileDir: string;

beforeAll(async () => {
  fx = await threeClassFixture();
  writeFileSync(join(fx.dir, 'index.html'), '<!doctype html><title>t</title>');
  profileDir = mkdtempSync(join(tmpdir(), 'cbd-web-'));
  server = await startWebServer({ port: 0, profileDir, rendererDir: fx.dir });
});
afterAll(async () => {
  await server?.close();
  rmSync(fx.dir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
});

describe('app services with a three-class model', () => {
  it('count each class in the batch, the results and after a correction', async () => {
    const h = server.services.handlers;
    // Browser mode takes models from the profile's models/ folder only.
    const models = join(profileDir, 'models');
    mkdirSync(models, { recursive: true });
    copyFileSync(fx.modelPath, join(models, basename(fx.modelPath)));
    await h.chooseModel!({ path: join(models, basename(fx.modelPath)) });
    const [doc] = await server.services.openNamedPaths([fx.pagePath]);
    await server.services.queue.idle();
    const item = (await h.getBatch!(undefined)).items.find((i) => i.id === doc!.id);
    expect(item).toMatchObject({ status: 'done', counts: THREE_CLASS_COUNTS });

    const [result] = (await h.getResults!({ docId: doc!.id })) as DetectionResult[];
    const crossed = result!.detections.find((d) => d.class === 'crossed')!;
    const saved = await h.saveEdits!({
      docId: doc!.id,
      page: 1,
      detections: [
        ...result!.detections.filter((d) => d !== crossed),
        { ...crossed, class: 'checked', corrected: true },
      ],
    });
    expect(saved).toMatchObject({ checked: 2, crossed: 1 });
  });
});
