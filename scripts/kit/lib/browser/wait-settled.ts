// Waits until every participant's upload has settled (lib/measure/settle.ts's rule, on the pages'
// own 1 Hz samples), so a window measures the call, not the encoders' ramp. Shared by benchmarks.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppSample } from '../hooks';
import { allSteady, RateSeries, type SettleRule } from '../measure/settle';
import type { QaParticipant } from './participant';

export interface SettleWait {
  rule: SettleRule;
  /** Wait at least this long, even when the rule is met earlier. */
  minSeconds: number;
  /** Give up after this long: the window is then measured anyway and recorded as not settled. */
  capSeconds: number;
}

export interface SettleResult {
  settled: boolean;
  seconds: number;
  /** Each participant's 1-s upload rates seen while waiting (kbps, rounded, oldest first). */
  rates: (number | null)[][];
}

/** The page's latest 1 Hz sample (light: no getStats call of its own). */
const LATEST_SAMPLE_JS = `(() => { const c = window.__call; return c && typeof c.getSample === 'function' ? c.getSample() : null; })()`;

/** Polls every participant's latest sample every 500 ms until all meet the rule (after minSeconds) or capSeconds runs out. */
export async function waitSettled(people: readonly QaParticipant[], o: SettleWait, signal: AbortSignal): Promise<SettleResult> {
  const t0 = performance.now();
  const series = people.map(() => new RateSeries());
  for (;;) {
    const latest = await Promise.all(people.map((p) => p.page.evaluate(LATEST_SAMPLE_JS).catch(() => null) as Promise<AppSample | null>));
    latest.forEach((s, i) => {
      if (s) series[i].add(s.timestamp, s.upload.totalKbps);
    });
    const seconds = (performance.now() - t0) / 1000;
    const done = seconds >= o.minSeconds && allSteady(series.map((s) => s.rates), o.rule);
    if (done || seconds >= o.capSeconds || signal.aborted) {
      return { settled: done, seconds, rates: series.map((x) => x.rates.map((v) => (v === null ? null : Math.round(v)))) };
    }
    await sleep(500, undefined, { signal }).catch(() => undefined);
  }
}
