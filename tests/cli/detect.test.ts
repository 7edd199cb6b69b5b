import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DetectionResultSchema } from '../../src-core/index.js';
import { DETECTIONS_CSV_HEADER } from '../../src-shared/csv.js';
import { emptyFile, hugePng, textFile, truncated } from '../helpers/bad-inputs.js';
import { runCli } from '../helpers/cli.js';
import { identityModel } from '../helpers/onnx-builder.js';
import { fixture } from '../helpers/paths.js';
import { truth } from '../helpers/truth.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cbd-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => DetectionResultSchema.parse(JSON.parse(line)));

describe('checkbox-detector detect', () => {
  it('prints one valid result for a PNG as JSON lines, boxes in original pixels', async () => {
    const run = await runCli(['detect', '--format', 'jsonl', fixture('page.png')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result, ...rest] = jsonLines(run.stdout);
    expect(rest).toHaveLength(0);
    const t = truth.files['page.png']![0]!;
    expect(result!.image).toEqual({
      width: t.width,
      height: t.height,
      page: 1,
      pages: 1,
      source: fixture('page.png'),
    });
    expect(result!.counts.total).toBe(result!.detections.length);
    const { total, empty = NaN, filled = NaN } = result!.counts;
    expect(empty + filled).toBe(total);
    expect(
      result!.detections.every((d) => d.confidence > 0.2 && d.box[2] <= t.width && d.box[3] <= t.height),
    ).toBe(true);
  });

  it('gives one result per page of a 3-page PDF', async () => {
    const run = await runCli(['detect', '--format', 'jsonl', fixture('form-3p.pdf')]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).map((r) => [r.image.page, r.image.pages])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('reports each bad file on one line, exits non-zero, and still processes the rest of the batch', async () => {
    const dir = path.join(tmp, 'batch');
    mkdirSync(dir);
    copyFileSync(fixture('page.png'), path.join(dir, 'a-good.png'));
    writeFileSync(path.join(dir, 'b-empty.png'), emptyFile());
    writeFileSync(path.join(dir, 'c-text.png'), textFile());
    writeFileSync(path.join(dir, 'd-truncated.jpg'), truncated('page.jpg'));
    writeFileSync(path.join(dir, 'e-huge.png'), hugePng());
    copyFileSync(fixture('page.webp'), path.join(dir, 'f-good.webp'));
    const missing = path.join(tmp, 'missing.png');

    const run = await runCli(['detect', '--format', 'jsonl', dir, missing]);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout).map((r) => path.basename(r.image.source!))).toEqual([
      'a-good.png',
      'f-good.webp',
    ]);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    const expected: [string, RegExp][] = [
      ['b-empty.png', /empty/],
      ['c-text.png', /not a supported image/],
      ['d-truncated.jpg', /cannot be decoded/],
      ['e-huge.png', /30000x30000|limit/],
      ['missing.png', /no such file/],
    ];
    expect(errors).toHaveLength(expected.length);
    expected.forEach(([name, message], i) => {
      expect(errors[i]).toContain(`${name}: `);
      expect(errors[i]).toMatch(message);
    });
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack traces
    expect(run.stderr).toMatch(/\[1\/7\]/); // a progress line for a batch
  });

  it('writes CSV rows and annotated pages, never leaving temporary files', async () => {
    const out = path.join(tmp, 'annotated');
    const run = await runCli([
      'detect',
      '--format',
      'csv',
      '--annotate',
      out,
      '--labels',
      fixture('page.png'),
      fixture('form-2p.tif'),
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(DETECTIONS_CSV_HEADER);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.split(',').length === 16)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['form-2p-p1.png', 'form-2p-p2.png', 'page.png']);
    const meta = await sharp(readFileSync(path.join(out, 'page.png'))).metadata();
    expect([meta.width, meta.height]).toEqual([
      truth.files['page.png']![0]!.width,
      truth.files['page.png']![0]!.height,
    ]);
  });

  it('detects and draws a single multi-page file in its own thread exactly as the pool does in a batch', async () => {
    // One file runs the detector in the CLI's thread; a batch of two runs it on the pool's workers.
    const [alone, batch] = [path.join(tmp, 'alone'), path.join(tmp, 'batch-drawn')];
    const single = await runCli(['detect', '--format', 'jsonl', '--annotate', alone, fixture('form-2p.tif')]);
    const pooled = await runCli([
      'detect',
      '--format',
      'jsonl',
      '--jobs',
      '2',
      '--annotate',
      batch,
      fixture('form-2p.tif'),
      fixture('page.png'),
    ]);
    expect([single.code, pooled.code]).toEqual([0, 0]);
    expect(single.stderr).toBe('');
    const found = (stdout: string) =>
      jsonLines(stdout)
        .filter((r) => r.image.source === fixture('form-2p.tif'))
        .map(({ image, counts, detections }) => ({ image, counts, detections }));
    const pages = found(single.stdout);
    expect(pages.map((r) => [r.image.page, r.image.pages])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(pages.every((r) => r.counts.total > 0)).toBe(true);
    expect(pages).toEqual(found(pooled.stdout));
    expect(readdirSync(alone).sort()).toEqual(['form-2p-p1.png', 'form-2p-p2.png']);
    for (const name of readdirSync(alone))
      expect(readFileSync(path.join(alone, name)).equals(readFileSync(path.join(batch, name)))).toBe(true);
  });

  it('refuses a model that is not a detector with one clear line', async () => {
    const model = path.join(tmp, 'identity.onnx');
    writeFileSync(model, identityModel());
    const run = await runCli(['detect', '--model', model, fixture('page.png')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*identity\.onnx: identity\.onnx is not a usable detection model/);
  });

  it('answers bad options with a usage error (exit 2)', async () => {
    const run = await runCli(['detect', '--conf', '2', fixture('page.png')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--conf must be a number between 0 and 1/);
  });

  // --tiling and --jobs also apply with --cloud now (sent to the Lambda, and requests in flight): tests/cloud.
  it('accepts only the known tiling modes', async () => {
    const bad = await runCli(['detect', '--tiling', 'sometimes', fixture('page.png')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tiling must be one of auto, off, on/);
  });

  it('detects a batch on several workers with the same results, in input order, as one at a time', async () => {
    const inputs = ['form-3p.pdf', 'page.png', 'page.jpg', 'form-2p.tif', 'page.webp'].map(fixture);
    const summary = (stdout: string) =>
      jsonLines(stdout).map((r) => [path.basename(r.image.source!), r.image.page, r.counts]);
    const serial = await runCli(['detect', '--format', 'jsonl', '--jobs', '1', ...inputs]);
    const pooled = await runCli(['detect', '--format', 'jsonl', '--jobs', '2', ...inputs]);
    expect([serial.code, pooled.code]).toEqual([0, 0]);
    expect(summary(pooled.stdout)).toEqual(summary(serial.stdout));
    expect(summary(pooled.stdout).map(([name, page]) => `${name}:${page}`)).toEqual([
      'form-3p.pdf:1',
      'form-3p.pdf:2',
      'form-3p.pdf:3',
      'page.png:1',
      'page.jpg:1',
      'form-2p.tif:1',
      'form-2p.tif:2',
      'page.webp:1',
    ]);
    const zero = await runCli(['detect', '--jobs', '0', ...inputs]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--jobs/);
  });
});
