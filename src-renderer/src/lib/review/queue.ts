// The review queue of one page: each box's review state, why a box needs a person's look, and the
// order a reviewer walks the page in. Plain functions over the page's detections (no Svelte), so the
// rules are unit-tested on their own.
import { nextClass } from '../../../../src-shared/class-style.js';
import { median } from '../../../../src-shared/reading-order.js';
import type { Detection } from '../../../../src-shared/result.js';

export { readingLines, readingOrder } from '../../../../src-shared/reading-order.js';

export type ReviewState = 'unreviewed' | 'accepted' | 'corrected';
export type LookReason = 'margin' | 'threshold' | 'size' | 'overlap';

export const REASON_TEXT: Record<LookReason, string> = {
  margin: 'close call between states',
  threshold: 'near the threshold',
  size: 'unusual size or shape',
  overlap: 'overlaps another box',
};

/** A call is close when the second class scores at least this share of the best (relative: a faint box
 *  scored 0.25 against 0.02 is still a clear call). */
const CLOSE_RATIO = 0.5;
/** How far above the confidence threshold a box still counts as borderline. */
const NEAR_THRESHOLD = 0.1;
/** A side this many times off the page's median (or a w/h ratio this far from square) is unusual. */
const SIZE_FACTOR = 1.6;

export function reviewState(d: Detection): ReviewState {
  if (d.review === 'accepted' || d.review === 'corrected') return d.review;
  return d.corrected ? 'corrected' : 'unreviewed';
}

/** The model's own confidence in the box, whatever class a person gave it since. */
export function modelConfidence(d: Detection): number {
  return d.scores ? Math.max(...Object.values(d.scores)) : d.confidence;
}

/** Confidence as people read it: a box a person drew has none, a flipped one has the model's score for its new class. */
export function confidenceText(d: Detection): string {
  if (d.corrected && !d.scores) return 'drawn';
  return `${(d.confidence * 100).toFixed(1)}%`;
}

/** The detection with its class flipped: its confidence becomes the model's score for the new class. */
export function flipped(d: Detection, classes: readonly string[]): Detection {
  const other = nextClass(classes, d.class);
  const confidence = d.scores?.[other] ?? d.confidence;
  return { ...d, class: other, confidence, corrected: true, review: 'corrected' };
}

function closeCall(d: Detection): boolean {
  const s = Object.values(d.scores ?? {}).sort((a, b) => b - a);
  return s.length >= 2 && s[1]! >= s[0]! * CLOSE_RATIO;
}

function overlaps(a: Detection['box'], b: Detection['box']): boolean {
  return Math.min(a[2], b[2]) > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) > Math.max(a[1], b[1]);
}

/** Why each box deserves a look (empty: it doesn't). Drawn boxes were placed by a person: no reasons. */
export function lookReasons(list: readonly Detection[], threshold: number): LookReason[][] {
  const model = list.filter((d) => d.scores || !d.corrected);
  const mw = median(model.map((d) => d.box[2] - d.box[0]));
  const mh = median(model.map((d) => d.box[3] - d.box[1]));
  const off = (v: number, m: number) => m > 0 && (v > m * SIZE_FACTOR || v < m / SIZE_FACTOR);
  return list.map((d, i) => {
    if (d.corrected && !d.scores) return [];
    const reasons: LookReason[] = [];
    if (closeCall(d)) reasons.push('margin');
    if (modelConfidence(d) < threshold + NEAR_THRESHOLD) reasons.push('threshold');
    const w = d.box[2] - d.box[0];
    const h = d.box[3] - d.box[1];
    if (off(w, mw) || off(h, mh) || off(w / h, 1)) reasons.push('size');
    if (list.some((o, j) => j !== i && overlaps(o.box, d.box))) reasons.push('overlap');
    return reasons;
  });
}

/** The walk order: boxes that need a look first, then the rest, each part in the given (reading) order. */
export function reviewOrder(order: readonly number[], reasons: readonly LookReason[][]): number[] {
  return [...order.filter((i) => reasons[i]!.length > 0), ...order.filter((i) => reasons[i]!.length === 0)];
}

/**
 * The next (step 1) or previous (step -1) box of `order` still in `candidates`, after the box at `current`
 * (an index, or null: from the start or the end). Null when there is none that way.
 */
export function nextToReview(
  order: readonly number[],
  candidates: ReadonlySet<number>,
  current: number | null,
  step: 1 | -1,
): number | null {
  const at = current === null ? -1 : order.indexOf(current);
  const from = at === -1 ? (step === 1 ? -1 : order.length) : at;
  for (let k = from + step; k >= 0 && k < order.length; k += step) {
    if (candidates.has(order[k]!)) return order[k]!;
  }
  return null;
}
