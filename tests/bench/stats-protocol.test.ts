import { describe, expect, it } from 'vitest';
import { parseResult, printResult, RESULT_PREFIX } from '../../scripts/bench/protocol.js';
import { percentile, summarize } from '../../scripts/bench/stats.js';

describe('percentile', () => {
  // Values from numpy.percentile (linear interpolation between closest ranks).
  it('interpolates like numpy', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBeCloseTo(2.5);
    expect(percentile([4, 1, 3, 2], 95)).toBeCloseTo(3.85);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95)).toBeCloseTo(95.5);
    expect(percentile([7], 95)).toBe(7);
  });

  it('does not reorder the caller’s samples and is NaN for none', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises count, p50, p95 and mean', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ n: 4, p50: 2.5, p95: expect.closeTo(3.85), mean: 2.5 });
  });
});

describe('child result protocol', () => {
  it('finds the result line among other output', () => {
    const stdout = `warning: something\n${RESULT_PREFIX}{"label":"x","ms":[1,2]}\nmore noise\n`;
    expect(parseResult(stdout)).toEqual({ label: 'x', ms: [1, 2] });
  });

  it('fails clearly when the child printed none', () => {
    expect(() => parseResult('only noise\n')).toThrow(/no result line/);
  });

  it('round-trips what printResult writes', () => {
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => chunks.push(chunk) > 0) as typeof process.stdout.write;
    try {
      printResult({ a: 1 });
    } finally {
      process.stdout.write = write;
    }
    expect(parseResult(chunks.join(''))).toEqual({ a: 1 });
  });
});
