import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectorPool } from '../../src-core/detector-pool.js';
import { CheckboxError, Detector, type DetectionResult } from '../../src-core/index.js';
import { truncated } from '../helpers/bad-inputs.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';

const FILES = ['page.png', 'page.jpg', 'form-3p.pdf', 'form-2p.tif'];
const summary = (results: DetectionResult[]) =>
  results.map((r) => ({ page: r.image.page, counts: r.counts, classes: r.detections.map((d) => d.class) }));

describe('DetectorPool', () => {
  let pool: DetectorPool;
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

  it('fails a bad file with its error code and keeps working, and leaves the caller its bytes', async () => {
    const bad = truncated('page.png');
    const err = await pool.detectFile(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckboxError);
    expect((err as CheckboxError).code).toBe('corrupt_image');
    expect(bad.length).toBeGreaterThan(0);
    const ok = await pool.detectFile(readFileSync(fixture('page.png')));
    expect(ok[0]!.counts.total).toBeGreaterThan(0);
  });

  it('rejects a model that cannot load when the pool starts', async () => {
    const err = await DetectorPool.create({ modelPath: fixture('page.png'), workers: 2 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CheckboxError);
    expect((err as CheckboxError).code).toBe('invalid_model');
  });
});
