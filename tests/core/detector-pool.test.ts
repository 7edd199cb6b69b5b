// The one worker pool of the CLI and the app: the same results as one Detector, each request type, per-file
// errors that leave the pool working, and cancel.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { DetectorPool } from '../../src-core/detector-pool.js';
import {
  annotate,
  CheckboxError,
  decodeImage,
  Detector,
  type DetectionResult,
} from '../../src-core/index.js';
import { truncated } from '../helpers/bad-inputs.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';

const FILES = ['page.png', 'page.jpg', 'form-3p.pdf', 'form-2p.tif'];
const summary = (results: DetectionResult[]) =>
  results.map((r) => ({ page: r.image.page, counts: r.counts, classes: r.detections.map((d) => d.class) }));

describe('DetectorPool', () => {
  let pool: Awaited<ReturnType<typeof DetectorPool.create>>;
  beforeAll(async () => {
    pool = await DetectorPool.create({ modelPath: MODEL_PATH, workers: 2 });
  });
  afterAll(() => pool.dispose());

  it('detects files on two workers at once with the same results as one Detector', async () => {
    expect(pool.size).toBe(2);
    const detector = await Detector.create({ modelPath: MODEL_PATH, threads: 1 });
    const expected = [];
    for (const f of FILES) expected.push(summary(await detector.detectFile(readFileSync(fixture(f)))));
    await detector.dispose();
    const got = await Promise.all(FILES.map((f) => pool.detectFile(readFileSync(fixture(f)), { source: f })));
    expect(got.map(summary)).toEqual(expected);
    expect(got.map((r) => r[0]!.image.source)).toEqual(FILES);
    expect(got.map((r) => r.length)).toEqual([1, 1, 3, 2]);
    expect(pool.model.version).toMatch(/^sha256:[0-9a-f]{12}$/);
  });

  it('annotates each page from the decode it detected on, as annotate does on a fresh decode', async () => {
    const file = fixture('form-2p.tif');
    const { results, annotated } = await pool.run({
      type: 'detect',
      file,
      model: pool.defaultModel,
      opts: {},
      annotate: { format: 'png' },
    });
    expect(annotated).toHaveLength(2);
    const pages = await decodeImage(readFileSync(file));
    for (const [i, page] of pages.entries()) {
      const fresh = await annotate(page, results[i]!, { format: 'png' });
      expect(Buffer.from(annotated![i]!).equals(fresh)).toBe(true);
    }
  });

  it('renders a page, and draws the pages asked for in every format asked from one decode', async () => {
    const pdf = fixture('form-3p.pdf');
    const results = await pool.detectFile(pdf, { dpi: 100 });
    const page3 = await pool.run({ type: 'render', file: pdf, page: 3, dpi: 100 });
    const meta = await sharp(page3.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', page3.width, page3.height]);
    const [first, third] = await pool.run({
      type: 'annotate',
      file: pdf,
      dpi: 100,
      pages: [
        { result: results[0]!, formats: ['jpeg'] },
        { result: results[2]!, formats: ['png', 'page'] },
      ],
    });
    expect(first).toHaveLength(1);
    expect((await sharp(first![0]!).metadata()).format).toBe('jpeg');
    expect((await sharp(first![0]!).metadata()).width).toBe(results[0]!.image.width);
    const pages = await decodeImage(readFileSync(pdf), { dpi: 100, pages: [3] });
    const drawn = await annotate(pages[0]!, results[2]!, { format: 'png', labels: false });
    expect(Buffer.from(third![0]!).equals(drawn)).toBe(true);
    expect(Buffer.from(third![1]!).equals(Buffer.from(page3.png))).toBe(true);
  });

  it("makes the cloud's uploads of a file: one one-page PDF per page", async () => {
    const split = await pool.run({ type: 'split', file: fixture('form-3p.pdf'), dpi: 100 });
    expect(split.count).toBe(3);
    expect(split.parts.map((p) => [p.page, p.pages])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const widths = [];
    for (const part of split.parts) widths.push((await decodeImage(part.data, { dpi: 100 }))[0]!.width);
    const whole = await decodeImage(readFileSync(fixture('form-3p.pdf')), { dpi: 100 });
    expect(widths).toEqual(whole.map((p) => p.width));
  });

  it('fails a bad file with its error code and keeps working, and leaves the caller its bytes', async () => {
    const bad = truncated('page.png');
    const err = await pool.detectFile(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckboxError);
    expect((err as CheckboxError).code).toBe('corrupt_image');
    expect(bad.length).toBeGreaterThan(0);
    await expect(pool.detectFile(fixture('truth.json'))).rejects.toMatchObject({ code: 'unsupported_type' });
    await expect(
      pool.run({ type: 'model-info', model: { modelPath: fixture('page.png') } }),
    ).rejects.toMatchObject({ code: 'invalid_model' });
    const ok = await pool.detectFile(readFileSync(fixture('page.png')));
    expect(ok[0]!.counts.total).toBeGreaterThan(0);
  });

  it('cancels a run in progress, and one still waiting for a worker, and keeps working afterwards', async () => {
    const abort = new AbortController();
    const runs = [1, 2, 3, 4, 5].map(() => pool.detectFile(fixture('form-3p.pdf'), {}, abort.signal));
    setTimeout(() => abort.abort(), 50);
    for (const run of runs) await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    const results = await pool.detectFile(fixture('page.png'));
    expect(results).toHaveLength(1);
    expect(results[0]!.counts.total).toBeGreaterThan(0);
  });

  it('rejects a model that cannot load when the pool starts', async () => {
    const err = await DetectorPool.create({ modelPath: fixture('page.png'), workers: 2 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CheckboxError);
    expect((err as CheckboxError).code).toBe('invalid_model');
  });
});
