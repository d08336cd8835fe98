// The topology benchmark's settle rule on upload-rate series: steady only when the last k rates sit
// within ±tol of their mean and that mean no longer moves from the k before; a ramp, a spike, too
// few samples or a zero rate are not steady.
import { describe, expect, it } from 'vitest';
import { allSteady, DEFAULT_SETTLE_RULE, describeSettleRule, RateSeries, steadyVerdict } from '../../../../../scripts/kit/lib/measure/settle';
import { RECORDED_MESH_SETTLE, RECORDED_SFU_DECAY } from './recorded-upload';

describe('steadyVerdict', () => {
  it('is steady on a flat series and reports mean, deviation and drift', () => {
    const v = steadyVerdict([500, 510, 490, 505, 495, 500, 500, 510, 490, 500]);
    expect(v.steady).toBe(true);
    expect(v.mean).toBe(500);
    expect(v.maxDeviation).toBeCloseTo(0.02, 10);
    expect(v.drift).toBeCloseTo(0, 10);
  });

  it('needs 2k rates: k flat ones are not enough (drift unknown)', () => {
    const v = steadyVerdict([500, 500, 500, 500, 500]);
    expect(v.steady).toBe(false);
    expect(v.mean).toBe(500);
    expect(Number.isNaN(v.drift)).toBe(true);
    expect(steadyVerdict([500, 500]).steady).toBe(false);
    expect(Number.isNaN(steadyVerdict([500, 500]).mean)).toBe(true);
  });

  it('refuses a slow ramp whose windows each look flat', () => {
    // +3 % a second: each k-window spans ±6 %, but its mean is ~16 % above the previous window's.
    const ramp = Array.from({ length: 10 }, (_, i) => 300 * 1.03 ** i);
    const v = steadyVerdict(ramp);
    expect(v.maxDeviation).toBeLessThan(0.1);
    expect(v.drift).toBeGreaterThan(0.1);
    expect(v.steady).toBe(false);
  });

  it('refuses a spike inside the last k, and accepts a deviation of exactly the tolerance', () => {
    expect(steadyVerdict([500, 500, 500, 500, 500, 500, 500, 700, 500, 500]).steady).toBe(false);
    // mean 500; 550 and 450 are exactly ±10 %.
    expect(steadyVerdict([500, 500, 500, 500, 500, 550, 450, 500, 500, 500]).steady).toBe(true);
  });

  it('drops null rates (the first sample has none) and is never steady at zero', () => {
    expect(steadyVerdict([null, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500]).steady).toBe(true);
    expect(steadyVerdict(Array(10).fill(0)).steady).toBe(false);
  });

  it('follows k and tolerance', () => {
    const series = [400, 400, 400, 440, 400, 400];
    expect(steadyVerdict(series, { samples: 3, tolerance: 0.1 }).steady).toBe(true);
    expect(steadyVerdict(series, { samples: 3, tolerance: 0.02 }).steady).toBe(false);
  });

  it('on recorded mesh rates: each participant turns steady at its own sample, the step settles with the later one', () => {
    const firstSteady = (rates: readonly (number | null)[]) => rates.findIndex((_, i) => steadyVerdict(rates.slice(0, i + 1)).steady);
    // p1 ramps to ~920 kbps and holds it from index 25; p2 drops from ~900 to ~380 kbps and is steady only at the end.
    expect(RECORDED_MESH_SETTLE.map(firstSteady)).toEqual([25, 31]);
    expect(allSteady(RECORDED_MESH_SETTLE)).toBe(true);
    // One sample earlier the benchmark was still waiting (the later participant was not steady yet).
    expect(allSteady(RECORDED_MESH_SETTLE.map((r) => r.slice(0, -1)))).toBe(false);
  });

  it('on a recorded SFU upload that decays after joining: never steady at ±10 % in 60 s', () => {
    const end = steadyVerdict(RECORDED_SFU_DECAY);
    expect(end.steady).toBe(false);
    expect(end.mean).toBeCloseTo(65, 0);
    expect(end.drift).toBeGreaterThan(0.1);
    expect(RECORDED_SFU_DECAY.some((_, i) => steadyVerdict(RECORDED_SFU_DECAY.slice(0, i + 1)).steady)).toBe(false);
    // A looser rule (±30 %) would have called the still-falling upload steady after 17 s.
    expect(RECORDED_SFU_DECAY.findIndex((_, i) => steadyVerdict(RECORDED_SFU_DECAY.slice(0, i + 1), { samples: 5, tolerance: 0.3 }).steady)).toBe(17);
  });
});

describe('allSteady and the series', () => {
  it('needs every participant steady; an empty room is not', () => {
    const flat = Array(10).fill(500);
    const ramp = Array.from({ length: 10 }, (_, i) => 100 + 50 * i);
    expect(allSteady([flat, flat], DEFAULT_SETTLE_RULE)).toBe(true);
    expect(allSteady([flat, ramp])).toBe(false);
    expect(allSteady([])).toBe(false);
  });

  it('keeps one rate per sample timestamp', () => {
    const s = new RateSeries();
    expect(s.add(1000, 300)).toBe(true);
    expect(s.add(1000, 300)).toBe(false);
    expect(s.add(2000, null)).toBe(true);
    expect(s.rates).toEqual([300, null]);
  });

  it('describes itself with its numbers', () => {
    expect(describeSettleRule({ samples: 5, tolerance: 0.1 }, 60)).toBe(
      'upload settled when, for every participant, the last 5 one-second upload rates are each within ±10 % of their mean and that mean is within ±10 % of the mean of the 5 before them (waited at most 60 s)',
    );
  });
});
