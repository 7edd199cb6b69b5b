// The review queue's rules: review state, why a box needs a look, reading order and the N walk.
import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src-shared/result.js';
import {
  confidenceText,
  flipped,
  lookReasons,
  nextToReview,
  readingOrder,
  reviewOrder,
  reviewState,
} from '../../src-renderer/src/lib/review/queue.js';

const box = (x: number, y: number, size = 20): Detection['box'] => [x, y, x + size, y + size];
const det = (x: number, y: number, filled: number, empty: number, size = 20): Detection => ({
  class: filled >= empty ? 'filled' : 'empty',
  confidence: Math.max(filled, empty),
  box: box(x, y, size),
  scores: { empty, filled },
});

describe('review queue', () => {
  it('reads a page line by line, left to right, tolerating a slightly lower box on the same line', () => {
    const list = [det(300, 102, 0.9, 0.1), det(100, 100, 0.9, 0.1), det(100, 200, 0.9, 0.1), det(200, 98, 0.9, 0.1)];
    expect(readingOrder(list)).toEqual([1, 3, 0, 2]);
  });

  it('flags close calls, boxes near the threshold, odd sizes and overlaps; a clear box has no reason', () => {
    const list = [
      det(100, 100, 0.95, 0.05), // clear
      det(200, 100, 0.55, 0.45), // close call
      det(300, 100, 0.25, 0.02), // just above a 0.2 threshold
      det(400, 100, 0.95, 0.05, 60), // three times the usual side
      det(100, 200, 0.95, 0.05),
      det(110, 205, 0.95, 0.05), // on top of the previous one
    ];
    const reasons = lookReasons(list, 0.2);
    expect(reasons[0]).toEqual([]);
    expect(reasons[1]).toEqual(['margin']);
    expect(reasons[2]).toEqual(['threshold']);
    expect(reasons[3]).toEqual(['size']);
    expect(reasons[4]).toEqual(['overlap']);
    expect(reasons[5]).toEqual(['overlap']);
    // Needs-a-look boxes first, in reading order, then the rest.
    expect(reviewOrder(readingOrder(list), reasons)).toEqual([1, 2, 3, 4, 5, 0]);
  });

  it('walks forward and back over the boxes still to review, and stops at the ends', () => {
    const order = [4, 2, 0, 1, 3];
    const todo = new Set([2, 1, 3]);
    expect(nextToReview(order, todo, null, 1)).toBe(2);
    expect(nextToReview(order, todo, 2, 1)).toBe(1);
    expect(nextToReview(order, todo, 1, 1)).toBe(3);
    expect(nextToReview(order, todo, 3, 1)).toBeNull();
    expect(nextToReview(order, todo, null, -1)).toBe(3);
    expect(nextToReview(order, todo, 1, -1)).toBe(2);
    // A box that is gone (deleted) restarts the walk.
    expect(nextToReview(order, todo, 9, 1)).toBe(2);
  });

  it("a flipped box takes the model's score for its new class and counts as corrected; a drawn one shows no score", () => {
    const d = det(0, 0, 0.8, 0.15);
    const f = flipped(d, ['empty', 'filled']);
    expect(f).toMatchObject({ class: 'empty', confidence: 0.15, corrected: true, review: 'corrected' });
    expect(reviewState(d)).toBe('unreviewed');
    expect(reviewState({ ...d, review: 'accepted' })).toBe('accepted');
    expect(reviewState(f)).toBe('corrected');
    expect(confidenceText(f)).toBe('15.0%');
    const drawn: Detection = { class: 'filled', confidence: 1, box: box(0, 0), corrected: true };
    expect(confidenceText(drawn)).toBe('drawn');
    expect(lookReasons([drawn, d], 0.2)[0]).toEqual([]);
  });
});

describe('file names', () => {
  it('sort in natural order and shorten in the middle, so similar long names stay apart', async () => {
    const { middleEllipsis, naturalCompare } = await import('../../src-renderer/src/lib/names.js');
    expect(['Page-13.png', 'Page-2.png', 'page-1.png'].sort(naturalCompare)).toEqual([
      'page-1.png',
      'Page-2.png',
      'Page-13.png',
    ]);
    const a = middleEllipsis('Page-1-Image-1-scanned-at-the-front-desk.png');
    const b = middleEllipsis('Page-13-Image-1-scanned-at-the-front-desk.png');
    expect(a.length).toBeLessThanOrEqual(30);
    expect(a).not.toBe(b);
    expect(a.endsWith('front-desk.png')).toBe(true);
    expect(middleEllipsis('short.png')).toBe('short.png');
  });
});
