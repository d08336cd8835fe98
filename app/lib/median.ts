// The median of a list of numbers, for the browser's own summaries (the connectivity page's round
// trips, the presentation view's per-N uploads); NaN for an empty list.
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}
