// The real model on the generated fixture pages: every format, boxes where the truth says, states right.
// These thresholds are what a usable checkbox model must reach on clean generated forms.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, DetectionResultSchema } from '../../src-core/index.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';
import { scoreResult, truth } from '../helpers/truth.js';

let detector: Detector;
beforeAll(async () => {
  detector = await Detector.create({ modelPath: MODEL_PATH, threads: 1 });
});
afterAll(() => detector.dispose());

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
      const s = scoreResult(result, pages[i]!.boxes, detector.info.classes);
      const where = `${name} page ${i + 1}: ${JSON.stringify(s)}`;
      expect(s.recall, where).toBeGreaterThanOrEqual(0.9);
      // Precision 0.8, but a tiny page (page.bmp: 5 boxes) may carry two faint extras at the default conf.
      expect(s.predictions - s.matched, where).toBeLessThanOrEqual(Math.max(2, Math.floor(s.truth / 4)));
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
