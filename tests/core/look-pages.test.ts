// The bundled model on the looks the first model got wrong (issue 15): pale-blue empty boxes read as
// "filled", and badges, "Nº", toggles, radio buttons and stray ticks read as boxes. At the default conf.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, type Detection } from '../../src-core/index.js';
import { lookPages, type LookPage, type Negative } from '../helpers/look-pages.js';
import { MODEL_PATH } from '../helpers/paths.js';
import { scoreResult } from '../helpers/truth.js';

let detector: Detector;
beforeAll(async () => {
  detector = await Detector.create({ modelPath: MODEL_PATH, threads: 1 });
});
afterAll(() => detector.dispose());

const overlaps = (d: Detection, [x1, y1, x2, y2]: readonly number[]): boolean =>
  d.box[0] < x2! && d.box[2] > x1! && d.box[1] < y2! && d.box[3] > y1!;

/** The page's boxes found with their states, and nothing reported on its negatives of these kinds. */
async function check(page: LookPage, kinds?: readonly Negative['kind'][]): Promise<void> {
  const png = await sharp(Buffer.from(page.svg)).png().toBuffer();
  const [result] = await detector.detectFile(png, { source: `${page.name}.png` });
  const s = scoreResult(result!, page.boxes, detector.info.classes);
  const where = `${page.name}: ${JSON.stringify(s)}`;
  expect(s.recall, where).toBeGreaterThanOrEqual(0.95);
  expect(s.stateAccuracy, where).toBeGreaterThanOrEqual(0.95);
  const elsewhere = result!.detections.filter(
    (d) => !page.boxes.some((b) => overlaps(d, b.box)) && !page.negatives.some((n) => overlaps(d, n.box)),
  );
  expect(elsewhere, `${page.name}: boxes reported on plain text or background`).toHaveLength(0);
  const negatives = page.negatives.filter((n) => !kinds || kinds.includes(n.kind));
  const intruders = result!.detections
    .filter((d) => negatives.some((n) => overlaps(d, n.box)))
    .map((d) => ({ ...d, on: negatives.find((n) => overlaps(d, n.box))!.kind }));
  expect(intruders, `${page.name}: boxes on things that are not checkboxes`).toEqual([]);
}

const [blank, ticked, lookalikes] = lookPages();

describe('the model on the looks users reported', () => {
  it('reads a blank template with pale-blue boxes as all empty', () => check(blank!));
  it('reads the same template ticked by hand', () => check(ticked!));
  // The first v2 model took a "13." badge, a stray tick and selected radio buttons on this sparse, clean page for
  // filled boxes; this one still takes two stray ✓ glyphs (0.66, 0.76): a known limit (models/checkbox-detector.md,
  // "Known limits"), marked as failing so that a model that fixes it is noticed.
  it('keeps section-number badges, "Nº" and toggles out', () =>
    check(lookalikes!, ['badge', 'number sign', 'toggle']),
  );
  it('keeps radio buttons out', () => check(lookalikes!, ['radio button']));
  it.fails('keeps stray ticks with no box out (known limit)', () => check(lookalikes!, ['stray tick']));
});
