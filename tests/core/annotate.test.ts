import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { annotate, SCHEMA_VERSION, type DecodedPage, type DetectionResult } from '../../src-core/index.js';

const page: DecodedPage = {
  page: 1,
  pages: 1,
  width: 300,
  height: 200,
  rgb: Buffer.alloc(300 * 200 * 3, 255),
};
const result: DetectionResult = {
  schemaVersion: SCHEMA_VERSION,
  image: { width: 300, height: 200, page: 1, pages: 1 },
  model: { name: 'm', version: '1', imgsz: [640, 640], classes: ['empty', 'filled'] },
  counts: { total: 2, empty: 1, filled: 1 },
  detections: [
    { class: 'empty', confidence: 0.91, box: [40, 60, 80, 100] },
    { class: 'filled', confidence: 0.88, box: [180, 60, 220, 100], corrected: true },
  ],
  timing: { decodeMs: 0, inferMs: 0, totalMs: 0 },
  engine: 'local',
};

async function pixels(
  image: Buffer,
): Promise<{ width: number; height: number; at: (x: number, y: number) => number[] }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)),
  };
}

const near = (a: number[], hex: string, tolerance = 40): boolean =>
  a.every((v, i) => Math.abs(v - parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16)) <= tolerance);

describe('annotate', () => {
  it('draws empty boxes dashed blue and filled boxes solid vermillion at full resolution', async () => {
    const img = await pixels(await annotate(page, result));
    expect([img.width, img.height]).toEqual([300, 200]);
    // Walk the top edge just outside each box: the empty one alternates dash and gap, the filled one is solid.
    const row = (x1: number, x2: number, y: number): number[][] =>
      Array.from({ length: x2 - x1 }, (_, i) => img.at(x1 + i, y));
    const emptyEdge = row(45, 75, 57);
    const filledEdge = row(185, 215, 57);
    expect(emptyEdge.some((p) => near(p, '#0072B2'))).toBe(true);
    expect(emptyEdge.some((p) => near(p, '#FFFFFF', 10))).toBe(true);
    expect(filledEdge.every((p) => near(p, '#D55E00'))).toBe(true);
    // Inside the boxes the page is untouched.
    expect(img.at(60, 80)).toEqual([255, 255, 255]);
    // The corrected box carries a marker at its top-right corner.
    expect(near(img.at(220, 59), '#CC79A7', 60)).toBe(true);
  });

  it('adds labels on request and writes JPEG when asked', async () => {
    const plain = await annotate(page, result);
    const labelled = await annotate(page, result, { labels: true });
    expect(Buffer.compare(plain, labelled)).not.toBe(0);
    const jpeg = await annotate(page, result, { format: 'jpeg', quality: 80 });
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
  });
});
