// When is a participant's upload "settled"? Right after a join, each browser's bandwidth estimator
// ramps its encoders up over several seconds (the SFU's send transport more slowly than a mesh peer
// connection here), so a window measured then catches the ramp, not the topology. The rule, on the
// app's 1 Hz upload rates (sample.upload.totalKbps), oldest first:
//
//   steady ⇔ the last k rates are each within ±tol of their mean (mean > 0), and that mean is
//            within ±tol of the mean of the k rates before them.
//
// The first half says the rate stopped jumping, the second that it stopped climbing: a slow ramp
// whose k samples sit within ±tol of each other still moves its mean from one k to the next. Pure.

export interface SettleRule {
  /** k: how many consecutive 1-s samples form one window (2k are needed). */
  samples: number;
  /** ±tolerance as a fraction (0.1 = ±10 %). */
  tolerance: number;
}

export const DEFAULT_SETTLE_RULE: SettleRule = { samples: 5, tolerance: 0.1 };

export interface SteadyVerdict {
  steady: boolean;
  /** Mean of the last k rates; NaN with fewer than k. */
  mean: number;
  /** Largest |rate − mean| / mean over the last k rates; NaN with fewer than k or mean 0. */
  maxDeviation: number;
  /** |mean − previous k's mean| / mean; NaN with fewer than 2k rates. */
  drift: number;
}

const avg = (vs: readonly number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;

/** The rule applied to one participant's rate series (null/NaN rates are dropped first). */
export function steadyVerdict(rates: readonly (number | null)[], rule: SettleRule = DEFAULT_SETTLE_RULE): SteadyVerdict {
  const k = rule.samples;
  const vs = rates.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (vs.length < k) return { steady: false, mean: NaN, maxDeviation: NaN, drift: NaN };
  const last = vs.slice(-k);
  const mean = avg(last);
  const maxDeviation = mean > 0 ? Math.max(...last.map((v) => Math.abs(v - mean) / mean)) : NaN;
  const drift = vs.length >= 2 * k && mean > 0 ? Math.abs(mean - avg(vs.slice(-2 * k, -k))) / mean : NaN;
  // A tiny epsilon so that a deviation of exactly the tolerance passes despite floating point.
  const within = (x: number) => Number.isFinite(x) && x <= rule.tolerance + 1e-12;
  return { steady: within(maxDeviation) && within(drift), mean, maxDeviation, drift };
}

/** Every participant steady (an empty room is not). */
export function allSteady(series: readonly (readonly (number | null)[])[], rule: SettleRule = DEFAULT_SETTLE_RULE): boolean {
  return series.length > 0 && series.every((s) => steadyVerdict(s, rule).steady);
}

export function describeSettleRule(rule: SettleRule, capSeconds: number): string {
  const pct = Math.round(rule.tolerance * 100);
  return (
    `upload settled when, for every participant, the last ${rule.samples} one-second upload rates are each within ±${pct} % ` +
    `of their mean and that mean is within ±${pct} % of the mean of the ${rule.samples} before them (waited at most ${capSeconds} s)`
  );
}

/** Keeps one participant's 1 Hz samples while waiting, one rate per distinct sample timestamp. */
export class RateSeries {
  private readonly seen = new Set<number>();
  readonly rates: (number | null)[] = [];

  /** Adds the sample taken at `timestamp` unless it was already added; returns whether it was new. */
  add(timestamp: number, kbps: number | null): boolean {
    if (this.seen.has(timestamp)) return false;
    this.seen.add(timestamp);
    this.rates.push(kbps);
    return true;
  }
}
