// Pure benchmark maths shared by the kit's benchmarks: percentiles, summaries,
// the "knee" where a measured value falls below a threshold, and a least-squares line.

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface KneePoint {
  n: number;
  value: number;
}

export interface LinearFit {
  slope: number;
  intercept: number;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks: the value at rank
 * (p/100)·(n−1) of the sorted values, interpolated between its two neighbours (the "R-7" /
 * spreadsheet PERCENTILE.INC method, also numpy's default). So p=0 is the minimum, p=100 the
 * maximum, and p=50 of an even-sized list is the mean of the two middle values.
 * Empty input gives NaN; p outside 0..100 (or NaN) throws a RangeError. Input is not mutated.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be within 0..100, got ${p}`);
  return percentileOfSorted(sortedCopy(values), p);
}

/** The 50th percentile (see percentile); NaN for an empty list. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Count, extremes, p50, p95 and mean in one pass over a sorted copy; all NaN (n=0) when empty. */
export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  if (n === 0) return { n: 0, min: NaN, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  return {
    n,
    min: sorted[0],
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    max: sorted[n - 1],
    mean: sum / n,
  };
}

/**
 * The first n (in increasing n order, whatever the input order) whose value is strictly below
 * threshold, e.g. the participant count at which fps falls below 90% of the full rate; null when
 * no point falls below it.
 */
export function findKnee(points: readonly KneePoint[], threshold: number): number | null {
  const ordered = [...points].sort((a, b) => a.n - b.n);
  const knee = ordered.find((pt) => pt.value < threshold);
  return knee ? knee.n : null;
}

/** Ordinary least squares y = slope·x + intercept; null with fewer than two distinct x values. */
export function linearFit(points: readonly { x: number; y: number }[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
