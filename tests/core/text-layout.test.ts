// Labels, questions and groups from words: the PDF text layer of the generated pages against their truth.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage, type Box } from '../../src-core/index.js';
import { assignText } from '../../src-core/text/layout.js';
import { normaliseText } from '../../src-cli/text-eval.js';
import { fixture } from '../helpers/paths.js';
import { textTruth } from '../helpers/text-truth.js';

describe('assignText', () => {
  it('gives every truth box of the text-layer pages its label and question', async () => {
    const pages = await decodeImage(readFileSync(fixture('text/forms.pdf')), { textLayer: true });
    let boxes = 0;
    for (const page of pages) {
      expect(page.words!.length).toBeGreaterThan(50);
      const truth = textTruth.files['forms.pdf']![page.page - 1]!;
      const { perBox, groups } = assignText(
        truth.boxes.map((b) => b.box),
        page.words!,
      );
      truth.boxes.forEach((t, i) => {
        expect([normaliseText(perBox[i]!.label), normaliseText(perBox[i]!.question)]).toEqual([
          normaliseText(t.label),
          normaliseText(t.question),
        ]);
      });
      // Every box in exactly one group, and a box's group is the one that lists it.
      expect(groups.flatMap((g) => g.members).sort((a, b) => a - b)).toEqual(truth.boxes.map((_, i) => i));
      for (const g of groups) for (const i of g.members) expect(perBox[i]!.group).toBe(g.id);
      boxes += truth.boxes.length;
    }
    expect(boxes).toBeGreaterThan(100);
  });

  it('reads right-aligned rows to the left, table cells by their headers, and a list by the line above it', () => {
    const word = (text: string, x: number, y: number): { text: string; box: Box } => ({
      text,
      box: [x, y, x + text.length * 8, y + 14],
    });
    const box = (x: number, y: number): Box => [x, y, x + 20, y + 20];
    const boxes = [box(300, 100), box(500, 100), box(600, 200), box(700, 200), box(600, 240), box(700, 240)];
    boxes.push(box(100, 330), box(100, 370));
    const words = [
      ...[word('Smoker:', 20, 103), word('Yes', 265, 103), word('No', 475, 103)],
      ...[word('Yes', 600, 165), word('No', 703, 165), word('Fever', 20, 203), word('Cough', 20, 243)],
      ...[word('Pick', 20, 300), word('one', 60, 300), word('Red', 130, 333), word('Blue', 130, 373)],
    ];
    const { perBox, groups } = assignText(boxes, words);
    expect(perBox.map((b) => [b.label, b.question])).toEqual([
      ['Yes', 'Smoker'],
      ['No', 'Smoker'],
      ['Yes', 'Fever'],
      ['No', 'Fever'],
      ['Yes', 'Cough'],
      ['No', 'Cough'],
      ['Red', 'Pick one'],
      ['Blue', 'Pick one'],
    ]);
    expect(groups.map((g) => g.members)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
  });

  it('gives a page without words null labels and questions, each row its own group', () => {
    const { perBox, groups } = assignText(
      [
        [10, 10, 30, 30],
        [100, 12, 120, 32],
        [10, 200, 30, 220],
      ],
      [],
    );
    expect(perBox.map((b) => [b.label, b.question, b.group])).toEqual([
      [null, null, 1],
      [null, null, 1],
      [null, null, 2],
    ]);
    expect(groups).toHaveLength(2);
  });
});
