// Reading box text with the real model: the text layer of a born-digital PDF, OCR of a degraded scan, and the
// pages where there is no text or OCR fails — the boxes are never lost.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, DetectionResultSchema, type DetectionResult } from '../../src-core/index.js';
import { scorePage } from '../../src-cli/text-eval.js';
import { fixture, MODEL_PATH } from '../helpers/paths.js';
import { textTruth } from '../helpers/text-truth.js';

let detector: Detector;
beforeAll(async () => {
  detector = await Detector.create({ modelPath: MODEL_PATH });
});
afterAll(() => detector.dispose());

/** Groups and detections tell the same story: every box in the group its `group` names. */
function expectConsistent(result: DetectionResult): void {
  DetectionResultSchema.parse(result);
  const options = result.groups!.flatMap((g) => g.options.map((o) => [g.id, o.box.join()]));
  expect(options.sort()).toEqual(result.detections.map((d) => [d.group, d.box.join()]).sort());
}

describe('Detector text reading', () => {
  it('--text auto reads a PDF text layer: labels and questions of nearly every box', async () => {
    const results = await detector.detectFile(readFileSync(fixture('text/forms.pdf')), { text: 'auto' });
    for (const result of results) {
      expect(result.schemaVersion).toBe('1.1');
      expect(result.text).toMatchObject({ source: 'pdf' });
      expectConsistent(result);
      const truth = textTruth.files['forms.pdf']![result.image.page - 1]!;
      const score = scorePage(truth, result);
      expect(score.labels / truth.boxes.length).toBeGreaterThanOrEqual(0.95);
      expect(score.questions / truth.boxes.length).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('OCRs degraded 200 dpi scans (no text layer) in auto mode: the acceptance targets, 95% labels, 90% questions', async () => {
    let [boxes, labels, questions] = [0, 0, 0];
    for (const name of ['scan-1.jpg', 'scan-2.jpg']) {
      const [result] = await detector.detectFile(readFileSync(fixture(`text/${name}`)), { text: 'auto' });
      expect(result!.text).toMatchObject({ source: 'ocr', lang: 'eng' });
      expectConsistent(result!);
      const truth = textTruth.files[name]![0]!;
      const score = scorePage(truth, result!);
      [boxes, labels, questions] = [
        boxes + truth.boxes.length,
        labels + score.labels,
        questions + score.questions,
      ];
    }
    expect(labels / boxes).toBeGreaterThanOrEqual(0.95);
    expect(questions / boxes).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves text off by default: no text fields, schema 1.1', async () => {
    const [result] = await detector.detectFile(readFileSync(fixture('text/forms.pdf')), { pages: [1] });
    expect(result!.groups).toBeUndefined();
    expect(result!.detections[0]).not.toHaveProperty('label');
  });

  it('gives a scanned PDF page with --text pdf null labels and no error, with the same boxes', async () => {
    const data = readFileSync(fixture('form-3p.pdf'));
    const [plain] = await detector.detectFile(data, { pages: [1] });
    const [read] = await detector.detectFile(data, { pages: [1], text: 'pdf' });
    expect(read!.text).toMatchObject({ source: 'none' });
    expect(read!.text!.error).toBeUndefined();
    expect(read!.detections.map((d) => d.box)).toEqual(plain!.detections.map((d) => d.box));
    expect(read!.detections.every((d) => d.label === null && d.question === null)).toBe(true);
    expectConsistent(read!);
  });

  it('keeps every box when OCR fails, and says why', async () => {
    const data = readFileSync(fixture('text/scan-2.jpg'));
    const [plain] = await detector.detectFile(data);
    const [failed] = await detector.detectFile(data, { text: 'ocr', lang: 'xyz' });
    expect(failed!.text).toMatchObject({
      source: 'none',
      error: expect.stringMatching(/no OCR data for xyz/),
    });
    expect(failed!.detections.map((d) => [d.class, d.box])).toEqual(
      plain!.detections.map((d) => [d.class, d.box]),
    );
    expect(failed!.detections.every((d) => d.label === null)).toBe(true);
  });

  it('rejects an unknown text mode', async () => {
    await expect(
      detector.detectFile(readFileSync(fixture('text/forms.pdf')), { text: 'maybe' as never }),
    ).rejects.toThrow(/text must be one of off, auto, pdf, ocr/);
  });
});
