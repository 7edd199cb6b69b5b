// The detector's plumbing, driven through the real onnxruntime with models whose output is known.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckboxError, Detector, DetectionResultSchema, type DecodedPage } from '../../src-core/index.js';
import { constantOutputModel, ULTRALYTICS_METADATA } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cbd-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function detectorWith(
  shape: number[],
  values: number[],
  metadata: Record<string, string>,
  inputShape?: (number | string)[],
): Promise<Detector> {
  const p = path.join(
    dir,
    `${shape.join('x')}-${Object.keys(metadata).length}-${inputShape?.join('x')}.onnx`,
  );
  writeFileSync(p, constantOutputModel(shape, Float32Array.from(values), metadata, inputShape));
  return Detector.create({ modelPath: p, threads: 1 });
}

/** A 1280x640 page: letterboxed into 640x640 at scale 0.5 with 160 px of padding above. */
const page: DecodedPage = {
  page: 1,
  pages: 1,
  width: 1280,
  height: 640,
  rgb: Buffer.alloc(1280 * 640 * 3, 255),
};

describe('Detector with a dense [1, 4 + nc, N] output', () => {
  // Anchors (columns): a filled box, the same box scored as empty (less sure), a faint box, a box over the edge.
  const rows = [
    [320, 322, 100, 630], // cx
    [320, 321, 400, 460], // cy
    [64, 64, 20, 40], // w
    [32, 30, 20, 40], // h
    [0.1, 0.8, 0.1, 0.05], // empty
    [0.9, 0.2, 0.05, 0.7], // filled
  ];

  it('decodes, suppresses across classes, and maps boxes to original pixels', async () => {
    const det = await detectorWith([1, 6, 4], rows.flat(), ULTRALYTICS_METADATA);
    const result = await det.detectPage(page, { source: 'card.png', decodeMs: 5 });
    expect(DetectionResultSchema.parse(result)).toEqual(result);
    expect(result.detections).toEqual([
      { class: 'filled', confidence: 0.9, box: [576, 288, 704, 352], scores: { empty: 0.1, filled: 0.9 } },
      // cx 630 +- 20 runs past the right edge (1280 px): clipped.
      { class: 'filled', confidence: 0.7, box: [1220, 560, 1280, 640], scores: { empty: 0.05, filled: 0.7 } },
    ]);
    expect(result.counts).toEqual({ total: 2, empty: 0, filled: 2 });
    expect(result.image).toEqual({ width: 1280, height: 640, page: 1, pages: 1, source: 'card.png' });
    expect(result.model).toMatchObject({ imgsz: [640, 640], classes: ['empty', 'filled'] });
    expect(result.engine).toBe('local');
    expect(result.timing.decodeMs).toBe(5);
    expect(result.timing.totalMs).toBeGreaterThanOrEqual(result.timing.inferMs);
    await det.dispose();
  });

  it('keeps low-confidence boxes when asked and rejects thresholds outside 0..1', async () => {
    const det = await detectorWith([1, 6, 4], rows.flat(), ULTRALYTICS_METADATA);
    const low = await det.detectPage(page, { conf: 0.08 });
    expect(low.detections.map((d) => d.class)).toEqual(['filled', 'filled', 'empty']);
    const err = await det.detectPage(page, { conf: 1.5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckboxError);
    expect((err as CheckboxError).code).toBe('invalid_argument');
    await det.dispose();
  });
});

describe('Detector with a free input size (dynamic=True export)', () => {
  it('letterboxes to the stride-aligned rectangle, so boxes map back without the square padding', async () => {
    // The 1280x640 page becomes 640x320 with no padding; in a 640x640 square it would sit 160 px lower.
    const rect = [[320], [160], [64], [32], [0.1], [0.9]];
    const det = await detectorWith([1, 6, 1], rect.flat(), ULTRALYTICS_METADATA, [1, 3, 'height', 'width']);
    expect(det.info.rectInput).toBe(true);
    const result = await det.detectPage(page);
    expect(result.detections).toEqual([
      { class: 'filled', confidence: 0.9, box: [576, 288, 704, 352], scores: { empty: 0.1, filled: 0.9 } },
    ]);
    await det.dispose();
  });
});

describe('Detector with an end-to-end [1, N, 6] output', () => {
  it('reads x1, y1, x2, y2, score, class rows and maps them back', async () => {
    const rowsE2e = [
      [288, 304, 352, 336, 0.95, 0],
      [0, 0, 10, 10, 0.1, 1], // under conf
    ];
    const det = await detectorWith([1, 2, 6], rowsE2e.flat(), { ...ULTRALYTICS_METADATA, end2end: 'True' });
    expect(det.info.end2end).toBe(true);
    const result = await det.detectPage(page);
    expect(result.detections).toEqual([{ class: 'empty', confidence: 0.95, box: [576, 288, 704, 352] }]);
    await det.dispose();
  });
});

describe('Detector.create', () => {
  it('rejects a bad thread count', async () => {
    const err = await Detector.create({ threads: 0 }).catch((e: unknown) => e);
    expect((err as CheckboxError).code).toBe('invalid_argument');
  });
});
