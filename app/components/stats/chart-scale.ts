// The top of a live chart's y-axis: high enough for the steady state and the latest values, but
// not stretched by a short burst (a join's key frames, a bandwidth probe) that would flatten the
// rest of the picture. Pure.

/** Values above this share of the window are treated as a burst. */
const BURST_QUANTILE = 0.9;

export function chartTop(series: (number | null | undefined)[][]): number {
  const values = series.flat().filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  const robust = sorted[Math.floor((sorted.length - 1) * BURST_QUANTILE)];
  const latest = series.map((s) => s.at(-1)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return Math.max(1, robust * 1.25, ...latest.map((v) => v * 1.1));
}
