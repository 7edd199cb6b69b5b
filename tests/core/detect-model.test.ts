// The real model on the generated fixture pages: every format, boxes where the truth says, states right.
// These thresholds are what a usable checkbox model must reach on clean generated forms.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iou } from '../../src-core/nms.js';
import { Detector, DetectionResultSchema, type DetectionResult } from '../../src-core/index.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';
import { truth, type TruthPage } from '../helpers/truth.js';

let detector: Detector;
beforeAll(async () => {
  detector = await Detector.create({ modelPath: MODEL_PATH, threads: 1 });
});
afterAll(() => detector.dispose());

/** Class-agnostic matching at IoU >= 0.5, most confident first. */
function score(
  result: DetectionResult,
  page: TruthPage,
): { recall: number; precision: number; stateAccuracy: number } {
  const taken = new Set<number>();
  let matched = 0;
  let right = 0;
  for (const d of result.detections) {
    let best = -1;
    let bestIou = 0.5;
    page.boxes.forEach((t, i) => {
      const v = iou(d.box, t.box);
      if (!taken.has(i) && v >= bestIou) [best, bestIou] = [i, v];
    });
    if (best < 0) continue;
    taken.add(best);
    matched++;
    if (page.boxes[best]!.class === d.class) right++;
  }
  return {
    recall: matched / page.boxes.length,
    precision: result.detections.length ? matched / result.detections.length : 0,
    stateAccuracy: matched ? right / matched : 0,
  };
}

describe('the model on the fixture pages', () => {
  it.each(Object.keys(truth.files))('%s: boxes found where they are, with their states', async (name) => {
    const results = await detector.detectFile(readFileSync(fixture(name)), { source: name });
    const pages = truth.files[name]!;
    expect(results).toHaveLength(pages.length);
    for (const [i, result] of results.entries()) {
      DetectionResultSchema.parse(result);
      expect(result.image).toMatchObject({ page: i + 1, pages: pages.length, source: name });
      for (const d of result.detections) {
        expect(d.box[0]).toBeGreaterThanOrEqual(0);
        expect(d.box[2]).toBeLessThanOrEqual(result.image.width);
        expect(d.box[3]).toBeLessThanOrEqual(result.image.height);
        expect(d.box[2]).toBeGreaterThan(d.box[0]);
      }
      const s = score(result, pages[i]!);
      const where = `${name} page ${i + 1}: ${JSON.stringify(s)}`;
      expect(s.recall, where).toBeGreaterThanOrEqual(0.9);
      expect(s.precision, where).toBeGreaterThanOrEqual(0.8);
      expect(s.stateAccuracy, where).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('gives the same answer every time from one session', async () => {
    const data = readFileSync(fixture('page.png'));
    const [a] = await detector.detectFile(data);
    const [b] = await detector.detectFile(data);
    expect(b!.detections).toEqual(a!.detections);
  });
});
