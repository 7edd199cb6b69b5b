// Words on a page, wherever they came from (a PDF's text layer or OCR), in page pixels like the boxes.
import type { Box } from '../../src-shared/result.js';

export interface PageWord {
  text: string;
  /** x1, y1, x2, y2 in page pixels. */
  box: Box;
}

export const boxHeight = (b: Box): number => b[3] - b[1];
export const centreY = (b: Box): number => (b[1] + b[3]) / 2;
export const centreX = (b: Box): number => (b[0] + b[2]) / 2;

/** Area of a's intersection with b, as a fraction of a's area. */
export function overlapOf(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.max(1e-6, (a[2] - a[0]) * (a[3] - a[1]));
}
