// The live charts' y-axis top: a short burst must not flatten the steady state, yet the latest
// values always fit.
import { describe, expect, it } from 'vitest';
import { chartTop } from '../../../app/components/stats/chart-scale';

describe('chartTop', () => {
  it('ignores a short join burst', () => {
    const steady = Array.from({ length: 60 }, () => 400);
    const withBurst = [3000, 2800, ...steady];
    expect(chartTop([withBurst])).toBe(500);
  });
  it('always fits the latest value', () => {
    expect(chartTop([[...Array.from({ length: 60 }, () => 100), 900]])).toBeCloseTo(990);
  });
  it('copes with empty and missing data', () => {
    expect(chartTop([])).toBe(1);
    expect(chartTop([[null, undefined]])).toBe(1);
  });
});
