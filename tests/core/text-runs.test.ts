// Finding the text near boxes from the ink alone, the sheet of runs that OCR reads (on a drawn grey page), and
// the words read back from Tesseract's TSV.
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src-core/index.js';
import type { GreyImage } from '../../src-core/text/grey.js';
import { wordsOfTsv } from '../../src-core/text/ocr.js';
import { runSheet, runSheets, wordsFromSheet } from '../../src-core/text/run-sheet.js';
import { textRuns } from '../../src-core/text/text-runs.js';

const PAPER = 235;

function page(width: number, height: number): GreyImage & { ink: (b: Box, v?: number) => void } {
  const data = new Uint8Array(width * height).fill(PAPER);
  const ink = (b: Box, v = 60): void => {
    for (let y = b[1]; y < b[3]; y++) data.fill(v, y * width + b[0], y * width + b[2]);
  };
  return { data, width, height, ink };
}

/** A word of `letters` letters 8 px wide with 3 px between them, 14 px tall, at x, y. */
function word(p: ReturnType<typeof page>, x: number, y: number, letters: number): Box {
  for (let i = 0; i < letters; i++) p.ink([x + i * 11, y, x + i * 11 + 8, y + 14]);
  return [x, y, x + letters * 11 - 3, y + 14];
}

function outline(p: ReturnType<typeof page>, b: Box): void {
  p.ink([b[0], b[1], b[2], b[1] + 2]);
  p.ink([b[0], b[3] - 2, b[2], b[3]]);
  p.ink([b[0], b[1], b[0] + 2, b[3]]);
  p.ink([b[2] - 2, b[1], b[2], b[3]]);
}

describe('textRuns', () => {
  it('finds the runs of text beside and above boxes, without the boxes, rules or table borders', () => {
    const p = page(800, 300);
    const box: Box = [100, 150, 124, 174];
    outline(p, box);
    const label = word(p, 134, 155, 5);
    const question = word(p, 20, 100, 7);
    p.ink([0, 130, 800, 132]); // a rule across the page between them
    p.ink([600, 80, 602, 200]); // a table border
    p.ink([700, 40, 702, 41], 225); // a faint speck, lighter than ink
    const runs = textRuns(p, [box]);
    expect(runs.map((r) => r.box)).toEqual([question, label]);
    expect(runs.every((r) => r.paper === PAPER)).toBe(true);
  });

  it('splits a line at gaps wider than a word space, and finds nothing on a page without text', () => {
    const p = page(800, 100);
    const box: Box = [20, 40, 44, 64];
    const a = word(p, 60, 45, 3);
    const b = word(p, a[2] + 6, 45, 4); // a word space: the same run
    const c = word(p, 400, 45, 2); // far away: a run of its own
    expect(textRuns(p, [box]).map((r) => r.box)).toEqual([[a[0], a[1], b[2], b[3]], c]);
    expect(textRuns(page(800, 100), [box])).toEqual([]);
    expect(textRuns(p, [])).toEqual([]);
  });
});

describe('runSheet', () => {
  it('stacks runs one per line, dark on white, and maps words on it back to the page', () => {
    const p = page(800, 300);
    const runs = [word(p, 100, 50, 6), word(p, 300, 200, 3)].map((box) => ({ box, paper: PAPER }));
    const sheet = runSheet(p, runs);
    const header = sheet.image.toString('latin1', 0, 20).split('\n');
    expect(header[0]).toBe('P5');
    const [w, h] = header[1]!.split(' ').map(Number) as [number, number];
    const pixels = sheet.image.subarray(sheet.image.length - w * h);
    expect(Math.min(...pixels)).toBe(0); // ink stretched to black
    expect(Math.max(...pixels)).toBe(255);
    // Each run's rows in the sheet: a word covering them comes back on the run's page box (within a pixel).
    const words = sheet.placed.map((q, i) => ({
      text: `w${i}`,
      box: [
        q.x + 2 * q.sx,
        q.y + 2 * q.sy,
        q.x + (q.region[2] - q.region[0] - 2) * q.sx,
        q.y + q.height - 2 * q.sy,
      ] as Box,
    }));
    const back = wordsFromSheet(words, sheet);
    back.forEach((b, i) => {
      expect(b.text).toBe(`w${i}`);
      b.box.forEach((v, k) => expect(v).toBeCloseTo(runs[i]!.box[k]!, 0));
    });
  });
});

describe('runSheets', () => {
  const run = (y: number, width: number) => ({ box: [10, y, 10 + width, y + 20] as Box, paper: PAPER });
  const p = page(400, 400);

  it('splits the runs, in order, into sheets of about equal width to read', () => {
    const runs = [run(10, 300), run(50, 60), run(90, 60), run(130, 60), run(170, 60), run(210, 60)];
    const sheets = runSheets(p, runs, 2);
    expect(sheets).toHaveLength(2);
    expect(sheets.flatMap((s) => s.placed.map((q) => q.region[1] + 2))).toEqual(runs.map((r) => r.box[1]));
    expect(sheets[0]!.placed).toHaveLength(1); // 300 wide against 5 x 60
  });

  it('makes one sheet for one part or one run, and none without runs', () => {
    expect(runSheets(p, [run(10, 50), run(50, 50)], 1)).toHaveLength(1);
    expect(runSheets(p, [run(10, 50)], 2)).toHaveLength(1);
    expect(runSheets(p, [], 2)).toHaveLength(0);
  });
});

describe('wordsOfTsv', () => {
  it("keeps Tesseract's confident words with their boxes, and drops other levels and unsure words", () => {
    const tsv = [
      '4\t1\t1\t1\t1\t0\t10\t20\t300\t30\t-1\t',
      '5\t1\t1\t1\t1\t1\t10\t20\t80\t30\t96.5\tGender:',
      '5\t1\t1\t1\t1\t2\t100\t22\t40\t28\t12\t~',
      '5\t1\t1\t1\t1\t3\t150\t21\t60\t29\t88\tFemale',
    ].join('\n');
    expect(wordsOfTsv(tsv)).toEqual([
      { text: 'Gender:', box: [10, 20, 90, 50] },
      { text: 'Female', box: [150, 21, 210, 50] },
    ]);
  });
});
