import { describe, expect, it } from 'vitest';
import { decodeDenseOutput, decodeEnd2EndOutput, iou, nms, type Candidate } from '../../src-core/nms.js';

const c = (box: Candidate['box'], score: number, classId = 0): Candidate => ({ box, score, classId });

describe('iou', () => {
  it('is 1 for the same box, 0 apart, and the overlap ratio otherwise', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('nms', () => {
  it('suppresses across classes: the more confident state of one checkbox wins', () => {
    const kept = nms(
      [c([0, 0, 10, 10], 0.6, 0), c([0.5, 0.5, 10.5, 10.5], 0.9, 1), c([50, 50, 60, 60], 0.3, 0)],
      0.7,
    );
    expect(kept.map((k) => [k.classId, k.score])).toEqual([
      [1, 0.9],
      [0, 0.3],
    ]);
  });

  it('keeps neighbours that overlap less than the threshold, and honours maxDet', () => {
    const boxes = [c([0, 0, 10, 10], 0.9), c([6, 0, 16, 10], 0.8), c([12, 0, 22, 10], 0.7)];
    expect(nms(boxes, 0.7)).toHaveLength(3);
    expect(nms(boxes, 0.2)).toHaveLength(2);
    expect(nms(boxes, 0.7, 1)).toEqual([boxes[0]]);
  });
});

describe('decodeDenseOutput', () => {
  it('reads [4 + nc, N] columns, takes the best class and filters by conf', () => {
    // Three anchors, two classes; rows: cx, cy, w, h, score0, score1.
    const data = Float32Array.from([
      ...[10, 50, 90],
      ...[20, 60, 100],
      ...[4, 8, 2],
      ...[6, 8, 2],
      ...[0.1, 0.8, 0.05],
      ...[0.7, 0.3, 0.1],
    ]);
    const out = decodeDenseOutput(data, 2, 3, 0.2);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ classId: 1, box: [8, 17, 12, 23] });
    expect(out[0]!.score).toBeCloseTo(0.7);
    expect(out[1]).toMatchObject({ classId: 0, box: [46, 56, 54, 64] });
  });
});

describe('decodeEnd2EndOutput', () => {
  it('reads [N, 6] rows of x1, y1, x2, y2, score, class', () => {
    const data = Float32Array.from([1, 2, 3, 4, 0.9, 1, 5, 6, 7, 8, 0.1, 0]);
    expect(decodeEnd2EndOutput(data, 2, 0.2)).toEqual([
      { box: [1, 2, 3, 4], score: Math.fround(0.9), classId: 1 },
    ]);
  });
});
