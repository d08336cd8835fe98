// A median with its spread, for figures repeated over several runs: the benchmark reports
// "median (min–max)" so a reader sees at once whether runs agree. Pure.
import { percentile } from './stats-math';

export interface Spread {
  /** How many finite values went in. */
  n: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

/** Median, extremes and quartiles (R-7, as stats-math's percentile) of the finite values; NaN when none. */
export function spreadOf(values: readonly (number | null | undefined)[]): Spread {
  const vs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (vs.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, p25: NaN, p75: NaN };
  return {
    n: vs.length,
    median: percentile(vs, 50),
    min: Math.min(...vs),
    max: Math.max(...vs),
    p25: percentile(vs, 25),
    p75: percentile(vs, 75),
  };
}

/** (max − min) / median: how far the runs disagree, relative to the median; NaN without a positive median. */
export function relativeRange(s: Spread): number {
  return s.n > 0 && s.median > 0 ? (s.max - s.min) / s.median : NaN;
}

/** "659 (612–701)"; a single value without a range; "-" when there is none. */
export function formatSpread(s: Spread, digits = 0): string {
  if (s.n === 0 || !Number.isFinite(s.median)) return '-';
  const f = (v: number) => v.toFixed(digits);
  return s.n === 1 || f(s.min) === f(s.max) ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
