// Where the text near the boxes is, found from the ink before any OCR, so that OCR reads only that. Around each
// row of boxes (the band from the line above it to just below it), pixels clearly darker than the paper, with
// the boxes painted out and rules erased, are cut into text lines by their row profile and each line into runs
// of ink by its column profile. Every length is in box heights, so the page's resolution does not matter.
import type { Box } from '../../src-shared/result.js';
import type { GreyImage } from './grey.js';

/** A band reaches this many box heights above its boxes (question and column header lines), and below them. */
const ABOVE = 2.8;
const BELOW = 0.5;
/** Ink is this many grey levels darker than the paper (scan noise stays well under it). */
const INK_CONTRAST = 45;
/** A dark run along a row this many box heights long is a rule, not text (no letter is that wide). */
const RULE_ACROSS = 3.5;
/** A dark run down a column this many box heights long is a rule (no letter is that tall). */
const RULE_DOWN = 1.6;
/** A gap in a line wider than this many line heights ends a run (word spaces are about a third of one). */
const RUN_GAP = 1.2;
/** A text line is at least this many box heights tall (less is a speck or what is left of a rule). */
const MIN_LINE = 0.25;
/** Runs with fewer ink pixels than this many box heights are specks. */
const MIN_INK = 0.5;

export interface TextRun {
  /** Tight ink extent in page pixels. */
  box: Box;
  /** Grey level of the paper around it. */
  paper: number;
}

/** Runs of text in the bands around the boxes, each once, top to bottom. */
export function textRuns(grey: GreyImage, boxes: readonly Box[]): TextRun[] {
  if (!boxes.length) return [];
  const heights = boxes.map((b) => b[3] - b[1]).sort((a, b) => a - b);
  const unit = Math.max(4, heights[heights.length >> 1]!);
  const runs: TextRun[] = [];
  const seen = new Set<string>();
  for (const [top, bottom] of bands(boxes, grey.height)) {
    // Look a box height beyond the band so that a line across its edge is whole; keep the lines centred in it.
    const from = Math.max(0, Math.floor(top - unit));
    const to = Math.min(grey.height, Math.ceil(bottom + unit));
    for (const run of bandRuns(grey, from, to, boxes, unit)) {
      const cy = (run.box[1] + run.box[3]) / 2;
      const key = run.box.join();
      if (cy < top || cy >= bottom || seen.has(key)) continue;
      seen.add(key);
      runs.push(run);
    }
  }
  return runs;
}

/** Row ranges [top, bottom) around the boxes, overlapping ones merged. */
function bands(boxes: readonly Box[], height: number): [number, number][] {
  const spans = boxes
    .map((b): [number, number] => {
      const h = b[3] - b[1];
      return [Math.max(0, Math.floor(b[1] - ABOVE * h)), Math.min(height, Math.ceil(b[3] + BELOW * h))];
    })
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

/** The paper's grey: the median of a sample of the rows (most of any band is paper). */
function paperLevel(data: Uint8Array, from: number, to: number): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = from; i < to; i += 7, n++) hist[data[i]!]!++;
  let half = n / 2;
  for (let v = 0; v < 256; v++) if ((half -= hist[v]!) <= 0) return v;
  return 255;
}

function bandRuns(
  grey: GreyImage,
  top: number,
  bottom: number,
  boxes: readonly Box[],
  unit: number,
): TextRun[] {
  const { width, data } = grey;
  const rows = bottom - top;
  const paper = paperLevel(data, top * width, bottom * width);
  const cut = paper - INK_CONTRAST;
  const mask = new Uint8Array(width * rows);
  for (let i = 0, j = top * width; i < mask.length; i++, j++) mask[i] = data[j]! < cut ? 1 : 0;
  for (const b of boxes) {
    const pad = 3;
    const [x1, x2] = [Math.max(0, Math.floor(b[0] - pad)), Math.min(width, Math.ceil(b[2] + pad))];
    const [y1, y2] = [Math.max(top, Math.floor(b[1] - pad)), Math.min(bottom, Math.ceil(b[3] + pad))];
    for (let y = y1; y < y2; y++) mask.fill(0, (y - top) * width + x1, (y - top) * width + x2);
  }
  // Vertical first: clearing horizontal rules would cut table borders into pieces shorter than a letter.
  clearVerticalRules(mask, width, rows, Math.round(RULE_DOWN * unit));
  clearHorizontalRules(mask, width, rows, Math.round(RULE_ACROSS * unit));

  const out: TextRun[] = [];
  const minLine = Math.max(3, Math.round(MIN_LINE * unit));
  let y = 0;
  while (y < rows) {
    if (!rowHasInk(mask, width, y)) {
      y++;
      continue;
    }
    const start = y;
    while (y < rows && rowHasInk(mask, width, y)) y++;
    if (y - start >= minLine) out.push(...lineRuns(mask, width, start, y, top, paper, unit));
  }
  return out;
}

/** Two ink pixels make a row part of a line (one alone is noise). */
function rowHasInk(mask: Uint8Array, width: number, y: number): boolean {
  let n = 0;
  for (let i = y * width, end = i + width; i < end; i++) if (mask[i] && ++n >= 2) return true;
  return false;
}

/** Clears dark runs of `min` pixels or more along each row, with the rows above and below (blurred rules are
 *  wider than the threshold shows). */
function clearHorizontalRules(mask: Uint8Array, width: number, rows: number, min: number): void {
  for (let y = 0; y < rows; y++) {
    let run = 0;
    for (let x = 0; x <= width; x++) {
      if (x < width && mask[y * width + x]) {
        run++;
        continue;
      }
      if (run >= min)
        for (let yy = Math.max(0, y - 1); yy <= Math.min(rows - 1, y + 1); yy++)
          mask.fill(0, yy * width + x - run, yy * width + x);
      run = 0;
    }
  }
}

/** The same down each column, with the columns either side; row by row, counting each column's run. */
function clearVerticalRules(mask: Uint8Array, width: number, rows: number, min: number): void {
  const run = new Uint32Array(width);
  const clear = (x: number, end: number): void => {
    for (let y = end - run[x]!; y < end; y++)
      for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) mask[y * width + xx] = 0;
  };
  for (let y = 0; y < rows; y++)
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (mask[i]) run[x]!++;
      else {
        if (run[x]! >= min) clear(x, y);
        run[x] = 0;
      }
    }
  for (let x = 0; x < width; x++) if (run[x]! >= min) clear(x, rows);
}

/** A line's runs of ink, split at gaps wider than RUN_GAP line heights, each trimmed to its own rows. */
function lineRuns(
  mask: Uint8Array,
  width: number,
  y1: number,
  y2: number,
  top: number,
  paper: number,
  unit: number,
): TextRun[] {
  const colInk = new Uint32Array(width);
  for (let y = y1; y < y2; y++) for (let x = 0, i = y * width; x < width; x++, i++) colInk[x]! += mask[i]!;
  const out: TextRun[] = [];
  const gap = Math.max(4, Math.round(RUN_GAP * (y2 - y1)));
  const minInk = MIN_INK * unit;
  let x = 0;
  while (x < width) {
    if (!colInk[x]) {
      x++;
      continue;
    }
    const x1 = x;
    let last = x;
    let ink = 0;
    for (; x < width && x - last <= gap; x++)
      if (colInk[x]) {
        last = x;
        ink += colInk[x]!;
      }
    if (ink < minInk) continue;
    // This run's own rows: a line's profile may be taller than any one of its runs.
    let [ry1, ry2] = [y2, y1];
    for (let y = y1; y < y2; y++)
      if (mask.subarray(y * width + x1, y * width + last + 1).includes(1)) {
        ry1 = Math.min(ry1, y);
        ry2 = y + 1;
      }
    out.push({ box: [x1, top + ry1, last + 1, top + ry2], paper });
  }
  return out;
}
