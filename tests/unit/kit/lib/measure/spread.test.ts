// Median-with-spread summaries of repeated runs: quartiles as stats-math's percentile, non-finite
// values ignored, and the "median (min–max)" text the reports print.
import { describe, expect, it } from 'vitest';
import { formatSpread, relativeRange, spreadOf } from '../../../../../scripts/kit/lib/measure/spread';

describe('spreadOf', () => {
  it('gives median, extremes and quartiles over the finite values', () => {
    expect(spreadOf([3, 1, 2, null, NaN, undefined])).toEqual({ n: 3, median: 2, min: 1, max: 3, p25: 1.5, p75: 2.5 });
    expect(spreadOf([10, 20, 30, 40])).toEqual({ n: 4, median: 25, min: 10, max: 40, p25: 17.5, p75: 32.5 });
  });

  it('is all NaN with nothing to summarize', () => {
    const s = spreadOf([null, NaN]);
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.median)).toBe(true);
    expect(formatSpread(s)).toBe('-');
    expect(Number.isNaN(relativeRange(s))).toBe(true);
  });

  it('prints median (min–max), or the value alone when the runs agree at that precision', () => {
    expect(formatSpread(spreadOf([659, 612, 701]))).toBe('659 (612–701)');
    expect(formatSpread(spreadOf([2.741, 2.5, 3.96]), 2)).toBe('2.74 (2.50–3.96)');
    expect(formatSpread(spreadOf([15.01, 14.98]), 1)).toBe('15.0');
    expect(formatSpread(spreadOf([7]))).toBe('7');
  });

  it('measures disagreement relative to the median', () => {
    expect(relativeRange(spreadOf([90, 100, 110]))).toBeCloseTo(0.2, 10);
  });
});
