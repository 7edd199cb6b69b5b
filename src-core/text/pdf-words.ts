// Words from a PDF page's text layer (pdf.js text content), in the pixels of the page rendered at `scale`.
// Exact and fast; horizontal text only (rotated text is left out, like a rotated label on a scan).
import type * as PdfJs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageWord } from './words.js';

type Matrix = [number, number, number, number, number, number];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** Share of the font size above the baseline (the rest, below it, holds descenders). */
const ASCENT = 0.8;

export async function pdfPageWords(
  page: PdfJs.PDFPageProxy,
  viewport: PdfJs.PageViewport,
): Promise<PageWord[]> {
  const content = await page.getTextContent();
  const words: PageWord[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const m = multiply(viewport.transform as Matrix, item.transform as Matrix);
    // Device y grows downwards, so upright text has a positive a and a negative d and no shear.
    if (Math.abs(m[1]) > 1e-3 * Math.abs(m[0]) || m[0] <= 0) continue;
    const size = Math.hypot(m[2], m[3]);
    const width = item.width * viewport.scale;
    const [x, baseline] = [m[4], m[5]];
    // A text run holds several words: place each by its share of the characters.
    const perChar = width / item.str.length;
    for (const match of item.str.matchAll(/\S+/g)) {
      const x1 = x + match.index * perChar;
      words.push({
        text: match[0],
        box: [x1, baseline - ASCENT * size, x1 + match[0].length * perChar, baseline + (1 - ASCENT) * size],
      });
    }
  }
  return words;
}
