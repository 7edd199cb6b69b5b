// The runs of text to read, cut out of the page and stacked one under another into a single grey image for one
// OCR call: each run scaled to one letter height, a little narrower than tall (Tesseract's cost grows with a
// line's width at its model's fixed height, and it reads slightly condensed print as well), its contrast
// stretched from the paper's grey to black, with white space around it. Words come back in page pixels.
import type { Box } from '../../src-shared/result.js';
import type { GreyImage } from './grey.js';
import type { TextRun } from './text-runs.js';
import type { PageWord } from './words.js';

/** A run's ink (ascender to descender) is scaled to this height in pixels: about 12 px x-height, which reads as
 *  well as larger on noisy scans and keeps the image small. */
const RUN_HEIGHT = 24;
/** Horizontal scale relative to the vertical. */
const CONDENSE = 0.8;
const MAX_SCALE = 4;
/** White margin around each run, in sheet pixels. */
const MARGIN = 12;
/** Page pixels kept around a run's ink, so that the faint edges of letters are not cut. */
const PAD = 2;

interface Placed {
  /** Page region copied: the run's box plus PAD. */
  region: Box;
  /** Sheet pixels per page pixel, across and down. */
  sx: number;
  sy: number;
  /** Where the region starts in the sheet, and how tall it is there. */
  x: number;
  y: number;
  height: number;
  paper: number;
}

export interface RunSheet {
  /** Binary PGM. */
  image: Buffer;
  placed: Placed[];
}

export function runSheet(grey: GreyImage, runs: readonly TextRun[]): RunSheet {
  const placed: Placed[] = [];
  let y = MARGIN;
  let width = 1;
  for (const run of runs) {
    const b = run.box;
    const region: Box = [
      Math.max(0, b[0] - PAD),
      Math.max(0, b[1] - PAD),
      Math.min(grey.width, b[2] + PAD),
      Math.min(grey.height, b[3] + PAD),
    ];
    const sy = Math.min(MAX_SCALE, RUN_HEIGHT / (b[3] - b[1]));
    const sx = sy * CONDENSE;
    const height = Math.max(1, Math.round((region[3] - region[1]) * sy));
    placed.push({ region, sx, sy, x: MARGIN, y, height, paper: run.paper });
    width = Math.max(width, Math.round((region[2] - region[0]) * sx) + 2 * MARGIN);
    y += height + MARGIN;
  }
  const header = Buffer.from(`P5\n${width} ${Math.max(1, y)}\n255\n`, 'latin1');
  const image = Buffer.alloc(header.length + width * Math.max(1, y), 255);
  header.copy(image);
  const pixels = image.subarray(header.length);
  for (const p of placed) drawRun(grey, p, pixels, width);
  return { image, placed };
}

/** The runs split into up to `parts` sheets of about equal OCR cost (Tesseract's time grows with the width of
 *  its lines at one height: a run's width over its height), each a slice of the runs in page order. */
export function runSheets(grey: GreyImage, runs: readonly TextRun[], parts: number): RunSheet[] {
  const cost = runs.map((r) => (r.box[2] - r.box[0]) / Math.max(1, r.box[3] - r.box[1]) + 1);
  const total = cost.reduce((a, b) => a + b, 0);
  const sheets: RunSheet[] = [];
  let from = 0;
  let done = 0;
  for (let part = 1; part <= parts && from < runs.length; part++) {
    let to = from;
    while (to < runs.length && (part === parts || done + cost[to]! / 2 < (total * part) / parts))
      done += cost[to++]!;
    if (to === from) continue;
    sheets.push(runSheet(grey, runs.slice(from, to)));
    from = to;
  }
  return sheets;
}

/** Bilinear resampling of the run's region, its grey stretched so that the paper is white and the darkest ink
 *  black. */
function drawRun(grey: GreyImage, p: Placed, out: Uint8Array, sheetWidth: number): void {
  const [x1, y1, x2, y2] = p.region;
  const { data, width } = grey;
  let dark = 255;
  for (let y = y1; y < y2; y++)
    for (let i = y * width + x1, end = y * width + x2; i < end; i++) dark = Math.min(dark, data[i]!);
  const gain = 255 / Math.max(1, p.paper - dark);
  const w = Math.max(1, Math.round((x2 - x1) * p.sx));
  // Source column and weight of each sheet column, shared by every row.
  const col = new Int32Array(w);
  const colW = new Float32Array(w);
  for (let sx = 0; sx < w; sx++) {
    const fx = Math.min(x2 - x1 - 1, Math.max(0, (sx + 0.5) / p.sx - 0.5));
    col[sx] = Math.floor(fx);
    colW[sx] = fx - col[sx]!;
  }
  const last = x2 - x1 - 1;
  for (let sy = 0; sy < p.height; sy++) {
    const fy = Math.min(y2 - y1 - 1, Math.max(0, (sy + 0.5) / p.sy - 0.5));
    const iy = Math.floor(fy);
    const dy = fy - iy;
    const r0 = (y1 + iy) * width + x1;
    const r1 = (y1 + Math.min(y2 - y1 - 1, iy + 1)) * width + x1;
    const dst = (p.y + sy) * sheetWidth + p.x;
    for (let sx = 0; sx < w; sx++) {
      const [a, b, dx] = [col[sx]!, Math.min(last, col[sx]! + 1), colW[sx]!];
      const v =
        (data[r0 + a]! * (1 - dx) + data[r0 + b]! * dx) * (1 - dy) +
        (data[r1 + a]! * (1 - dx) + data[r1 + b]! * dx) * dy;
      const s = (v - dark) * gain;
      out[dst + sx] = s < 0 ? 0 : s > 255 ? 255 : s;
    }
  }
}

/** OCR words of the sheet back in page pixels: each word belongs to the run whose rows hold its centre. */
export function wordsFromSheet(words: readonly PageWord[], sheet: RunSheet): PageWord[] {
  const out: PageWord[] = [];
  for (const w of words) {
    const cy = (w.box[1] + w.box[3]) / 2;
    const p = sheet.placed.find((q) => cy >= q.y && cy < q.y + q.height);
    if (!p) continue;
    const x = (v: number): number => p.region[0] + (v - p.x) / p.sx;
    const y = (v: number): number => p.region[1] + (v - p.y) / p.sy;
    out.push({ text: w.text, box: [x(w.box[0]), y(w.box[1]), x(w.box[2]), y(w.box[3])] });
  }
  return out;
}
