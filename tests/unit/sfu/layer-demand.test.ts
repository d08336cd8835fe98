// Dynacast's per-producer aggregation: the highest layer any consumer needs, upgrades at once,
// downgrades only after the need held for the delay.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LayerDemand } from '../../../server/sfu/layer-demand';

const DELAY = 2_500;

function demand() {
  const told: number[] = [];
  const d = new LayerDemand({ topLayer: 1, downgradeDelayMs: DELAY, apply: (layer) => told.push(layer) });
  return { d, told };
}

describe('LayerDemand', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts at the top layer (what a browser sends) and drops to the lowest once nobody consumed for the delay', () => {
    const { d, told } = demand();
    expect(d.applied).toBe(1);
    expect(d.wanted).toBe(0);
    vi.advanceTimersByTime(DELAY - 1);
    expect(told).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([0]);
    expect(d.applied).toBe(0);
  });

  it('keeps the top layer when a consumer arrives within the delay', () => {
    const { d, told } = demand();
    vi.advanceTimersByTime(1_000);
    d.set('c1', 1);
    vi.advanceTimersByTime(10 * DELAY);
    expect(told).toEqual([]);
  });

  it('aggregates the maximum over consumers and upgrades at once', () => {
    const { d, told } = demand();
    d.set('small', 0);
    vi.advanceTimersByTime(DELAY);
    expect(told).toEqual([0]);
    d.set('large', 1);
    expect(told).toEqual([0, 1]);
    d.set('other-small', 0);
    vi.advanceTimersByTime(10 * DELAY);
    expect(told).toEqual([0, 1]);
    expect(d.wanted).toBe(1);
  });

  it('debounces downgrades: a need that comes back within the delay changes nothing', () => {
    const { d, told } = demand();
    d.set('c1', 1);
    d.set('c1', 0); // the tile shrank…
    vi.advanceTimersByTime(DELAY - 500);
    d.set('c1', 1); // …and grew back
    vi.advanceTimersByTime(10 * DELAY);
    expect(told).toEqual([]);
    d.set('c1', 0);
    vi.advanceTimersByTime(DELAY);
    expect(told).toEqual([0]);
  });

  it('excludes paused and closed consumers (null) and clamps needs to the producer layers', () => {
    const { d, told } = demand();
    d.set('big', 7);
    expect(d.wanted).toBe(1);
    d.set('big', null); // paused or closed: needs nothing
    d.set('thumb', 0);
    vi.advanceTimersByTime(DELAY);
    expect(told).toEqual([0]);
    d.set('thumb', null);
    expect(d.wanted).toBe(0);
  });

  it('stops its timer on close', () => {
    const { d, told } = demand();
    d.close();
    vi.advanceTimersByTime(10 * DELAY);
    expect(told).toEqual([]);
  });
});
