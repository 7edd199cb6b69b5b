// `detect --cloud <url>` against `lambda:serve` running as its own process: the same boxes as
// local detection, and a clear one-line error when the cloud cannot be reached.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaServe, type ServeProcess } from '../../scripts/lambda/serve-process.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { DetectionResult } from '../../src-core/index.js';
import { boxesOf, listen, repoRoot } from '../lambda/helpers.js';

let server: ServeProcess;
let url: string;

beforeAll(async () => {
  server = await startLambdaServe();
  url = server.url;
});
afterAll(() => server?.stop());

const cli = runCliInProcess;

const page = path.join(repoRoot, 'tests/fixtures/page.jpg');
const pdf = path.join(repoRoot, 'tests/fixtures/form-3p.pdf');

describe('detect --cloud', () => {
  it('returns the same boxes as local detection, for every page of a PDF too', async () => {
    const local = await cli('detect', page, pdf);
    const cloud = await cli('detect', '--cloud', url, page, pdf);
    expect([local.code, cloud.code]).toEqual([0, 0]);
    const [localResults, cloudResults] = [local, cloud].map((r) => JSON.parse(r.stdout) as DetectionResult[]);
    expect(cloudResults!.map((r) => r.engine)).toEqual(['cloud', 'cloud', 'cloud', 'cloud']);
    expect(cloudResults!.map((r) => [r.image.source, r.image.page])).toEqual(
      localResults!.map((r) => [r.image.source, r.image.page]),
    );
    expect(cloudResults!.map(boxesOf)).toEqual(localResults!.map(boxesOf));
    expect(localResults![0]!.detections.length).toBeGreaterThan(0);
  });

  it('works through the API Gateway route (base64 JSON) as well', async () => {
    const cloud = await cli('detect', '--cloud', url, '--cloud-mode', 'api-gateway', '--conf', '0.5', page);
    const local = await cli('detect', '--conf', '0.5', page);
    expect(boxesOf((JSON.parse(cloud.stdout) as DetectionResult[])[0]!)).toEqual(
      boxesOf((JSON.parse(local.stdout) as DetectionResult[])[0]!),
    );
  });

  it('sends --iou, --dpi and --tiling with every page: the cloud gives the local boxes (and drawn pages) on the same options', async () => {
    const options = ['--iou', '0.3', '--dpi', '72', '--tiling', 'on', '--conf', '0.1'];
    const drawn = await mkdtemp(path.join(os.tmpdir(), 'cbd-cloud-annotate-'));
    const [cloudDir, localDir] = [path.join(drawn, 'cloud'), path.join(drawn, 'local')];
    const cloud = await cli('detect', '--cloud', url, '--jobs', '2', '--annotate', cloudDir, ...options, pdf);
    const local = await cli('detect', '--annotate', localDir, ...options, pdf);
    expect([cloud.code, local.code]).toEqual([0, 0]);
    // The cloud's pages are drawn here from one decode of the file, the local ones in the worker that detected.
    const names = (await readdir(localDir)).sort();
    expect(names).toEqual(['form-3p-p1.png', 'form-3p-p2.png', 'form-3p-p3.png']);
    expect((await readdir(cloudDir)).sort()).toEqual(names);
    for (const name of names) {
      const [a, b] = await Promise.all([cloudDir, localDir].map((d) => readFile(path.join(d, name))));
      expect(a!.equals(b!), name).toBe(true);
    }
    await rm(drawn, { recursive: true, force: true });
    const [cloudResults, localResults] = [cloud, local].map((r) => JSON.parse(r.stdout) as DetectionResult[]);
    // Rendered at 72 dpi, not the server's default 200: 5 x 6.5 inch pages, the last one landscape.
    expect(cloudResults!.map((r) => [r.image.page, r.image.width])).toEqual([
      [1, 360],
      [2, 360],
      [3, 468],
    ]);
    expect(cloudResults!.map(boxesOf)).toEqual(localResults!.map(boxesOf));
  });

  it('reads labels and questions on the server with --text, as local detection does (answers CSV too)', async () => {
    const forms = path.join(repoRoot, 'tests/fixtures/text/forms.pdf');
    const cloud = await cli('detect', '--cloud', url, '--text', 'pdf', forms);
    const local = await cli('detect', '--text', 'pdf', forms);
    expect([cloud.code, local.code]).toEqual([0, 0]);
    const texts = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as DetectionResult[]).map((p) => p.detections.map((d) => [d.label, d.question]));
    expect(texts(cloud)).toEqual(texts(local));
    expect(texts(cloud).flat().filter(([label]) => label).length).toBeGreaterThan(50);
    const answers = await cli('detect', '--cloud', url, '--format', 'answers', forms);
    expect(answers.stdout).toBe((await cli('detect', '--format', 'answers', forms)).stdout);
  });

  it('says clearly when the cloud cannot be reached, or the URL is not allowed', async () => {
    const closed = await listen(() => new Response());
    await closed.close(); // nothing listens there any more
    const down = await cli('detect', '--cloud', closed.url, page);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain(
      `page.jpg: Cannot reach the cloud detector at ${closed.url}/ after 4 attempts: ECONNREFUSED`,
    );

    const plain = await cli('detect', '--cloud', 'http://example.com', page);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/must use https/);

    const badMode = await cli('detect', '--cloud', url, '--cloud-mode', 'carrier-pigeon', page);
    expect(badMode.stderr).toMatch(/--cloud-mode must be one of/);
  });
});
