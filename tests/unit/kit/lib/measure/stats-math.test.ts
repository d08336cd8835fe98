// Fixed-input tests for scripts/kit/lib/measure/stats-math.ts (exact expected numbers).
import { describe, expect, it } from 'vitest';
import { findKnee, linearFit, median, percentile, summarize } from '../../../../../scripts/kit/lib/measure/stats-math';

describe('percentile (linear interpolation, R-7)', () => {
  const values = [15, 20, 35, 40, 50];

  it('interpolates between the two closest ranks', () => {
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 25)).toBe(20);
    expect(percentile(values, 40)).toBe(29); // rank 1.6: 20 + 0.6·15
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 90)).toBe(46); // rank 3.6: 40 + 0.6·10
    expect(percentile(values, 100)).toBe(50);
  });

  it('sorts a copy and leaves the input alone', () => {
    const shuffled = [50, 15, 40, 20, 35];
    expect(percentile(shuffled, 75)).toBe(40);
    expect(shuffled).toEqual([50, 15, 40, 20, 35]);
  });

  it('returns NaN for no values and the value itself for one', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([7], 95)).toBe(7);
  });

  it('rejects p outside 0..100', () => {
    expect(() => percentile(values, -1)).toThrow(RangeError);
    expect(() => percentile(values, 101)).toThrow(RangeError);
    expect(() => percentile(values, Number.NaN)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('averages the middle pair of an even-sized list', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives n, min, p50, p95, max and mean', () => {
    const s = summarize([10, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s).toEqual({ n: 10, min: 1, p50: 5.5, p95: expect.closeTo(9.55, 12), max: 10, mean: 5.5 });
  });

  it('is all NaN with n = 0 for no values', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    for (const key of ['min', 'p50', 'p95', 'max', 'mean'] as const) expect(s[key]).toBeNaN();
  });
});

describe('findKnee', () => {
  const fps = [
    { n: 2, value: 30 },
    { n: 4, value: 29.5 },
    { n: 6, value: 26 },
    { n: 8, value: 20 },
  ];

  it('returns the first n whose value drops below the threshold', () => {
    expect(findKnee(fps, 27)).toBe(6); // 90% of 30 fps
  });

  it('orders by n whatever the input order', () => {
    expect(findKnee([...fps].reverse(), 27)).toBe(6);
  });

  it('is strict: a value equal to the threshold is not below it', () => {
    expect(findKnee(fps, 26)).toBe(8);
  });

  it('returns null when nothing falls below', () => {
    expect(findKnee(fps, 10)).toBeNull();
    expect(findKnee([], 10)).toBeNull();
  });
});

describe('linearFit', () => {
  it('fits y = 2x + 1 exactly', () => {
    expect(linearFit([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 3, y: 7 }])).toEqual({ slope: 2, intercept: 1 });
  });

  it('least-squares through noisy points', () => {
    const fit = linearFit([{ x: 1, y: 1 }, { x: 2, y: 3 }, { x: 3, y: 2 }]);
    expect(fit?.slope).toBeCloseTo(0.5, 12);
    expect(fit?.intercept).toBeCloseTo(1, 12);
  });

  it('returns null without two distinct x values', () => {
    expect(linearFit([{ x: 1, y: 1 }])).toBeNull();
    expect(linearFit([{ x: 2, y: 1 }, { x: 2, y: 5 }])).toBeNull();
  });
});
