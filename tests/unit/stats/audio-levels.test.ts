// Audio levels read off raw getStats() reports: the average over the interval from the cumulative
// energy, the remote peer of each inbound stream in either mode, and our own microphone.
import { describe, expect, it } from 'vitest';
import type { RawConnectionStats } from '../../../app/lib/call/engine';
import { audioLevels } from '../../../app/lib/stats/audio-levels';

const inbound = (id: string, energy: number, duration: number, extra: Record<string, unknown> = {}) => ({
  id, type: 'inbound-rtp', kind: 'audio', totalAudioEnergy: energy, totalSamplesDuration: duration, audioLevel: 0.5, ...extra,
});
const source = (energy: number, duration: number) => ({ id: 'src', type: 'media-source', kind: 'audio', totalAudioEnergy: energy, totalSamplesDuration: duration, audioLevel: 0.7 });
const mesh = (peerId: string, stats: Record<string, unknown>[]): RawConnectionStats => ({ id: `pc-${peerId}`, role: 'peer', peerId, state: 'connected', sending: true, stats });

describe('audio levels', () => {
  it('averages the level over the interval (root mean square from the energy deltas)', () => {
    const first = audioLevels([mesh('a', [inbound('in', 1, 10), source(0, 10)])], null);
    // Without an interval: the instantaneous level.
    expect(first.peers).toEqual({ a: 0.5 });
    expect(first.self).toBe(0.7);
    // 1 s at a steady 0.1: energy grows by 0.1² · 1 = 0.01.
    const next = audioLevels([mesh('a', [inbound('in', 1.01, 11), source(0, 11)])], first.counters);
    expect(next.peers.a).toBeCloseTo(0.1);
    expect(next.self).toBe(0);
  });

  it('maps SFU inbound streams to their peers by track, ignores video and keeps the loudest stream per peer', () => {
    const recv: RawConnectionStats = {
      id: 'recv', role: 'recv', peerId: null, state: 'connected', sending: false, peerByTrack: { t1: 'a', t2: 'b', t3: 'a' },
      stats: [
        inbound('i1', 0, 1, { trackIdentifier: 't1', audioLevel: 0.2 }),
        inbound('i2', 0, 1, { trackIdentifier: 't2', audioLevel: 0.05 }),
        inbound('i3', 0, 1, { trackIdentifier: 't3', audioLevel: 0.4 }),
        { id: 'v', type: 'inbound-rtp', kind: 'video', trackIdentifier: 't1', audioLevel: 0.9 },
        inbound('i4', 0, 1, { trackIdentifier: 'unknown', audioLevel: 1 }),
      ],
    };
    const { peers, self } = audioLevels([recv], null);
    expect(peers).toEqual({ a: 0.4, b: 0.05 });
    expect(self).toBeNull();
  });

  it('a counter that went backwards (a new stream) falls back to the instantaneous level', () => {
    const first = audioLevels([mesh('a', [inbound('in', 5, 50)])], null);
    expect(audioLevels([mesh('a', [inbound('in', 0.1, 1, { audioLevel: 0.3 })])], first.counters).peers.a).toBe(0.3);
  });
});
