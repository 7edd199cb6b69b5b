import { describe, expect, it } from 'vitest';
import {
  apPerClass,
  computeAp,
  matchPredictions,
  metricsAtConf,
  recallBySize,
  type ImageEval,
} from '../../src-cli/metrics.js';

describe('computeAp', () => {
  it('gives 0.995 for a perfect curve, as Ultralytics does (the last sample at recall 1 is 0)', () => {
    expect(computeAp([0.5, 1], [1, 1])).toBeCloseTo(0.995, 6);
  });

  it('integrates the precision envelope (values from ultralytics.utils.metrics.compute_ap 8.4)', () => {
    // Recall 0.5 at precision 1, then a false positive: the envelope is 1 up to recall 0.5, then 0.
    expect(computeAp([0.5, 0.5], [1, 0.5])).toBeCloseTo(0.495, 6);
    expect(computeAp([0.2, 0.4, 0.4, 0.6], [1, 1, 0.667, 0.75])).toBeCloseTo(0.545, 6);
    expect(computeAp([], [])).toBeCloseTo(0.5, 6);
  });
});

describe('matchPredictions', () => {
  it('matches one prediction per truth box and only within the class', () => {
    const truth = [{ classId: 0, box: [0, 0, 10, 10] as [number, number, number, number] }];
    const preds = [
      { classId: 0, score: 0.9, box: [0, 0, 10, 10] as [number, number, number, number] },
      { classId: 0, score: 0.8, box: [0, 0, 10, 9] as [number, number, number, number] },
      { classId: 1, score: 0.7, box: [0, 0, 10, 10] as [number, number, number, number] },
    ];
    const correct = matchPredictions(truth, preds);
    expect(correct.map((row) => row[0])).toEqual([true, false, false]);
    expect(correct[0]!.every(Boolean)).toBe(true);
  });
});

describe('apPerClass and metricsAtConf', () => {
  const images: ImageEval[] = [
    {
      truth: [
        { classId: 0, box: [0, 0, 10, 10] },
        { classId: 1, box: [20, 0, 30, 10] },
        { classId: 1, box: [40, 0, 50, 10] },
      ],
      predictions: [
        { classId: 0, score: 0.9, box: [0, 0, 10, 10] },
        { classId: 0, score: 0.8, box: [20, 0, 30, 10] }, // found, wrong state
        { classId: 1, score: 0.1, box: [100, 0, 110, 10] }, // false positive, low confidence
      ],
    },
  ];

  it('scores per class', () => {
    const [empty, filled] = apPerClass(images);
    expect(empty).toMatchObject({ classId: 0, truth: 1 });
    expect(empty!.ap50).toBeCloseTo(0.995, 6);
    expect(filled).toMatchObject({ classId: 1, truth: 2, ap50: 0, ap50_95: 0 });
  });

  it('counts class-agnostic matches and state accuracy at a threshold', () => {
    expect(metricsAtConf(images, 0.5)).toEqual({
      conf: 0.5,
      truth: 3,
      predictions: 2,
      matched: 2,
      precision: 1,
      recall: 2 / 3,
      stateAccuracy: 0.5,
    });
    expect(metricsAtConf(images, 0.05).precision).toBeCloseTo(2 / 3);
  });
});

describe('recallBySize', () => {
  it('splits recall by the side of the truth boxes', () => {
    const box = (x: number, side: number): [number, number, number, number] => [x, 0, x + side, side];
    const images: ImageEval[] = [
      {
        truth: [
          { classId: 0, box: box(0, 12) },
          { classId: 0, box: box(100, 19) },
          { classId: 1, box: box(200, 24) },
          { classId: 1, box: box(300, 40) },
          { classId: 0, box: box(400, 50) },
        ],
        predictions: [
          { classId: 0, score: 0.9, box: box(100, 19) },
          { classId: 0, score: 0.9, box: box(200, 24) }, // found, wrong state: still recalled
          { classId: 1, score: 0.1, box: box(300, 40) }, // under conf
          { classId: 0, score: 0.9, box: box(400, 50) },
        ],
      },
    ];
    expect(recallBySize(images, 0.2)).toEqual([
      { min: 0, max: 20, truth: 2, matched: 1, recall: 0.5 },
      { min: 20, max: 28, truth: 1, matched: 1, recall: 1 },
      { min: 28, max: null, truth: 2, matched: 1, recall: 0.5 },
    ]);
  });
});
