// The "effect" of an auto room's switch: upload and RTT from the last sample before it to the
// first one EFFECT_DELAY_MS after it was done, on recorded samples.
import { describe, expect, it } from 'vitest';
import { EFFECT_DELAY_MS, switchEffect } from '../../../app/lib/stats/switch-effect';

const sample = (timestamp: number, totalKbps: number | null, pingRtt: Record<string, number | null>) => ({
  timestamp,
  upload: { totalKbps, audioKbps: null, videoKbps: null },
  pingRtt,
});

describe('switchEffect', () => {
  const samples = [
    sample(1000, 1900, { a: 2, b: 4 }),
    sample(2000, 1950, { a: 3, b: 3 }),
    // the switch: started at 2500, done at 4000
    sample(3000, 2500, { a: 9, b: null }),
    sample(4000 + EFFECT_DELAY_MS - 1, 700, { a: 5, b: 5 }),
    sample(4000 + EFFECT_DELAY_MS, 600, { a: 4, b: 6 }),
    sample(4000 + EFFECT_DELAY_MS + 1000, 650, { a: 4, b: 4 }),
  ];

  it('reads the last sample before the switch and the first one a settled while after it', () => {
    expect(switchEffect({ from: 'mesh', startedAt: 2500, doneAt: 4000, outcome: 'done' }, samples)).toEqual({
      uploadKbps: { before: 1950, after: 600 },
      rttMs: { before: 3, after: 5 },
      settled: true,
    });
  });

  it('is unsettled until the later sample exists, and nothing for switches that did not happen', () => {
    expect(switchEffect({ from: 'mesh', startedAt: 2500, doneAt: 4000, outcome: 'done' }, samples.slice(0, 4))).toMatchObject({
      uploadKbps: { before: 1950, after: null },
      settled: false,
    });
    expect(switchEffect({ from: 'mesh', startedAt: 2500, doneAt: 4000, outcome: 'failed' }, samples)).toBeNull();
    expect(switchEffect({ from: 'mesh', startedAt: 2500, doneAt: null, outcome: 'done' }, samples)).toBeNull();
    // The topology we joined on is no switch.
    expect(switchEffect({ from: null, startedAt: 2500, doneAt: 2500, outcome: 'done' }, samples)).toBeNull();
  });

  it('leaves RTT unknown when nobody answered pings', () => {
    const quiet = [sample(1000, 100, { a: null }), sample(20_000, 50, {})];
    expect(switchEffect({ from: 'mesh', startedAt: 2000, doneAt: 3000, outcome: 'done' }, quiet)?.rttMs).toEqual({ before: null, after: null });
  });
});
