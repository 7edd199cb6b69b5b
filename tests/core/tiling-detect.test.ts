// Tiled detection end to end: boxes from tiles come back in page pixels, boxes cut by an inner tile edge are
// dropped, passes are merged; and the real model finds the boxes of a page too big to see them whole.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckboxError,
  Detector,
  DetectionResultSchema,
  type Box,
  type DecodedPage,
} from '../../src-core/index.js';
import { AUTO_TILE_FACTOR } from '../../src-core/tiling.js';
import { constantOutputModel, ULTRALYTICS_METADATA } from '../helpers/onnx-builder.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';
import { scoreResult, truth } from '../helpers/truth.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cbd-tiling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const blank = (width: number, height: number): DecodedPage => ({
  page: 1,
  pages: 1,
  width,
  height,
  rgb: Buffer.alloc(width * height * 3, 255),
});
const centre = (b: Box): [number, number] => [Math.round((b[0] + b[2]) / 2), Math.round((b[1] + b[3]) / 2)];

describe('tiled detection with a model whose output is known', () => {
  // Whatever it sees, the model answers two boxes in input pixels: one 40 px box in the middle (filled, 0.9)
  // and one touching the input's top edge (empty, 0.8).
  const rows = [
    [320, 320], // cx
    [320, 15], // cy
    [40, 40], // w
    [40, 30], // h
    [0.1, 0.8], // empty
    [0.9, 0.1], // filled
  ];
  let det: Detector;
  beforeAll(async () => {
    const p = path.join(dir, 'constant.onnx');
    writeFileSync(p, constantOutputModel([1, 6, 2], Float32Array.from(rows.flat()), ULTRALYTICS_METADATA));
    det = await Detector.create({ modelPath: p, threads: 1 });
  });
  afterAll(() => det.dispose());

  // 2000x2600: the whole page at scale 640/2600; tiles of 1530x1530 (scale 640/1530, 1.7 times that) at
  // x 0 and 470, y 0 and 1070.
  const page = blank(2000, 2600);

  it('runs the whole page only when tiling is off', async () => {
    const result = await det.detectPage(page, { tiling: 'off' });
    expect(result.detections.map((d) => centre(d.box))).toEqual([
      [1000, 1300],
      [1000, 61],
    ]);
  });

  it("adds each tile's boxes in page pixels and drops those cut by an inner tile edge", async () => {
    const result = await det.detectPage(page, { tiling: 'on' });
    DetectionResultSchema.parse(result);
    const filled = result.detections.filter((d) => d.class === 'filled');
    const empty = result.detections.filter((d) => d.class === 'empty');
    // The whole page's middle box and each tile's middle box.
    expect(filled.map((d) => centre(d.box)).sort()).toEqual(
      [
        [1000, 1300],
        [765, 765],
        [1235, 765],
        [765, 1835],
        [1235, 1835],
      ].sort(),
    );
    // A tile shows the page at scale 640/1530: the 40 px input box is 95.6 page pixels.
    for (const d of filled.filter((f) => centre(f.box)[0] !== 1000))
      expect(d.box[2] - d.box[0]).toBeCloseTo(95.625, 1);
    // Top-edge boxes: from the whole page and from the top row of tiles (their top edge is the page's); the
    // tiles below cut theirs at an inner edge and drop them.
    expect(empty.map((d) => centre(d.box)).sort()).toEqual(
      [
        [1000, 61],
        [765, 36],
        [1235, 36],
      ].sort(),
    );
    expect(result.counts).toEqual({ total: 8, empty: 3, filled: 5 });
  });

  it("tiles in 'auto' only when the page is big", async () => {
    expect((await det.detectPage(page)).detections).toHaveLength(8);
    expect((await det.detectPage(blank(1000, AUTO_TILE_FACTOR * 640))).detections).toHaveLength(2);
  });

  it('rejects an unknown tiling mode', async () => {
    const err = await det
      .detectPage(page, { tiling: 'sometimes' as unknown as 'on' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckboxError);
    expect((err as CheckboxError).code).toBe('invalid_argument');
  });
});

describe('the real model on a page too big to see its boxes whole', () => {
  // Four copies of the fixture page on one 2000x2600 canvas: the whole-page pass sees its 20-28 px boxes at
  // half the scale the fixture page gets alone; tiles see them at 1.7 times that.
  const [fixturePage] = truth.files['page.png']!;
  const cols = 2;
  const rowsOf = 2;
  let det: Detector;
  let page: DecodedPage;
  let boxes: { class: string; box: Box }[];

  beforeAll(async () => {
    det = await Detector.create({ modelPath: MODEL_PATH, threads: 1 });
    const { width, height } = fixturePage!;
    const src = readFileSync(fixture('page.png'));
    const offsets = Array.from({ length: cols * rowsOf }, (_, i) => [
      (i % cols) * width,
      Math.floor(i / cols) * height,
    ]);
    const { data, info } = await sharp({
      create: { width: width * cols, height: height * rowsOf, channels: 3, background: '#ffffff' },
    })
      .composite(offsets.map(([left, top]) => ({ input: src, left: left!, top: top! })))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    page = { page: 1, pages: 1, width: info.width, height: info.height, rgb: data };
    boxes = offsets.flatMap(([dx, dy]) =>
      fixturePage!.boxes.map((b) => ({
        class: b.class,
        box: [b.box[0] + dx!, b.box[1] + dy!, b.box[2] + dx!, b.box[3] + dy!] as Box,
      })),
    );
  });
  afterAll(() => det.dispose());

  it('finds the boxes of every copy with their states when tiling is on', async () => {
    const result = await det.detectPage(page, { tiling: 'on' });
    expect(result.image).toMatchObject({ width: 2000, height: 2600 });
    const m = scoreResult(result, boxes, det.info.classes);
    const where = JSON.stringify(m);
    expect(m.recall, where).toBeGreaterThanOrEqual(0.9);
    // Boxes seen by the page and by tiles, or by two overlapping tiles, are merged, not counted twice.
    expect(m.precision, where).toBeGreaterThanOrEqual(0.8);
    expect(m.stateAccuracy, where).toBeGreaterThanOrEqual(0.9);
  });
});
