// OCR only what the boxes need: the bands of the page around each row of boxes and the line above it (where
// labels, questions and column headers are), stacked into one small grey image for a single OCR call, with
// the boxes themselves painted out so that their marks are not read as letters.
import type { Box } from '../../src-shared/result.js';
import type { PageWord } from './words.js';

/** A band reaches this many box heights above its box (question and column header lines), and below it: */
const ABOVE = 2.8;
const BELOW = 0.5;
/** White rows between stacked bands, so that Tesseract keeps them apart. */
const GAP = 16;
/** Ink darker than this may be part of a rule; a dark run this long (px) is a rule, not a word (horizontal: longer
 *  than any word, which spaces end; vertical: taller than any letter). */
const RULE_INK = 200;
const RULE_MIN_ACROSS = 400;
const RULE_MIN_DOWN = 36;
/** Lighter pixels a rule may skip (scan noise) without ending. */
const RULE_SKIP = 2;

export interface Band {
  top: number;
  bottom: number;
  /** Where the band starts in the stacked image. */
  at: number;
}

export function bandsFor(boxes: readonly Box[], height: number): Band[] {
  const spans = boxes
    .map((b): [number, number] => {
      const h = b[3] - b[1];
      return [Math.max(0, Math.floor(b[1] - ABOVE * h)), Math.min(height, Math.ceil(b[3] + BELOW * h))];
    })
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1] + GAP) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  let at = GAP;
  return merged.map(([top, bottom]) => {
    const band = { top, bottom, at };
    at += bottom - top + GAP;
    return band;
  });
}

/** Whitens dark runs of `min` or more pixels (rules, table borders, fill-in lines: Tesseract reads them as
 *  letters or loses the text beside them), along rows (step 1) or columns (step = width), and the pixels
 *  either side of each. */
function eraseRules(
  pixels: Uint8Array,
  start: number,
  count: number,
  length: number,
  step: number,
  across: number,
  min: number,
): void {
  for (let k = 0; k < count; k++) {
    const base = start + k * across;
    let run = 0;
    let light = 0;
    for (let i = 0; i <= length; i++) {
      if (i < length && pixels[base + i * step]! < RULE_INK) {
        run += light + 1;
        light = 0;
        continue;
      }
      if (i < length && run > 0 && light < RULE_SKIP) {
        light++;
        continue;
      }
      if (run >= min)
        for (let j = i - light - run; j < i - light; j++)
          for (let side = -3 * across; side <= 3 * across; side += across) {
            const at = base + j * step + side;
            if (at >= start && at < start + count * across) pixels[at] = 255;
          }
      run = 0;
      light = 0;
    }
  }
}

/** The bands stacked as a binary PGM (greyscale), the boxes painted white and rules erased. */
export function stackBands(
  rgb: Uint8Array,
  width: number,
  bands: readonly Band[],
  boxes: readonly Box[],
): Buffer {
  const height = bands.length ? bands.at(-1)!.at + bands.at(-1)!.bottom - bands.at(-1)!.top + GAP : 1;
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const out = Buffer.alloc(header.length + width * height, 255);
  header.copy(out);
  const pixels = out.subarray(header.length);
  for (const band of bands) {
    for (let y = band.top; y < band.bottom; y++) {
      const src = y * width * 3;
      const dst = (band.at + y - band.top) * width;
      for (let x = 0; x < width; x++) {
        const i = src + x * 3;
        pixels[dst + x] = (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
      }
    }
    for (const b of boxes) {
      const pad = 3;
      const [x1, x2] = [Math.max(0, Math.floor(b[0] - pad)), Math.min(width, Math.ceil(b[2] + pad))];
      const [y1, y2] = [
        Math.max(band.top, Math.floor(b[1] - pad)),
        Math.min(band.bottom, Math.ceil(b[3] + pad)),
      ];
      for (let y = y1; y < y2; y++)
        pixels.fill(255, (band.at + y - band.top) * width + x1, (band.at + y - band.top) * width + x2);
    }
  }
  for (const band of bands) {
    const start = band.at * width;
    const rows = band.bottom - band.top;
    // Vertical first: erasing the horizontal rules would cut table borders into pieces shorter than a letter.
    eraseRules(pixels, start, width, rows, width, 1, RULE_MIN_DOWN); // vertical rules, column by column
    eraseRules(pixels, start, rows, width, 1, width, RULE_MIN_ACROSS); // horizontal rules, row by row
  }
  return out;
}

/** Words of the stacked image back in page pixels; a word straddling two bands is dropped. */
export function wordsOnPage(words: readonly PageWord[], bands: readonly Band[]): PageWord[] {
  const out: PageWord[] = [];
  for (const w of words) {
    const band = bands.find((b) => w.box[1] >= b.at - 2 && w.box[3] <= b.at + b.bottom - b.top + 2);
    if (!band) continue;
    const dy = band.top - band.at;
    out.push({ text: w.text, box: [w.box[0], w.box[1] + dy, w.box[2], w.box[3] + dy] });
  }
  return out;
}

/** One region of the page as a grey PGM with a white margin of GAP pixels, for a small OCR call of its own. */
export function cropPgm(
  rgb: Uint8Array,
  width: number,
  height: number,
  region: Box,
): { image: Buffer; origin: [number, number] } {
  const [x1, y1] = [Math.max(0, Math.floor(region[0])), Math.max(0, Math.floor(region[1]))];
  const [x2, y2] = [Math.min(width, Math.ceil(region[2])), Math.min(height, Math.ceil(region[3]))];
  const [w, h] = [Math.max(1, x2 - x1) + 2 * GAP, Math.max(1, y2 - y1) + 2 * GAP];
  const header = Buffer.from(`P5\n${w} ${h}\n255\n`, 'latin1');
  const out = Buffer.alloc(header.length + w * h, 255);
  header.copy(out);
  for (let y = y1; y < y2; y++)
    for (let x = x1; x < x2; x++) {
      const i = (y * width + x) * 3;
      out[header.length + (y - y1 + GAP) * w + x - x1 + GAP] =
        (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
    }
  // Rules crossing the region (a table's borders): rows or columns mostly dark, with a pixel either side.
  const px = out.subarray(header.length);
  const dark = (i: number): number => (px[i]! < RULE_INK ? 1 : 0);
  const ruled = (count: number, length: number, at: (k: number, i: number) => number): number[] =>
    Array.from({ length: count }, (_, k) => k).filter((k) => {
      let n = 0;
      for (let i = 0; i < length; i++) n += dark(at(k, i));
      return n > 0.7 * (length - 2 * GAP);
    });
  for (const y of ruled(h, w, (y, x) => y * w + x))
    for (let d = -1; d <= 1; d++) if (y + d >= 0 && y + d < h) px.fill(255, (y + d) * w, (y + d + 1) * w);
  for (const x of ruled(w, h, (x, y) => y * w + x))
    for (let d = -1; d <= 1; d++)
      for (let y = 0; y < h; y++) if (x + d >= 0 && x + d < w) px[y * w + x + d] = 255;
  return { image: out, origin: [x1 - GAP, y1 - GAP] };
}
