// The normalizer on real Chromium getStats captures (mesh and SFU with simulcast, 3 tabs) and on
// synthetic edge cases: counter resets, a peer leaving between samples, missing fields.
import { describe, expect, it } from 'vitest';
import { toCallStats } from '../../../app/lib/stats/call-stats';
import { normalize } from '../../../app/lib/stats/normalize';
import type { Sample } from '../../../app/lib/stats/sample';
import { loadFixture, meshConnection } from './helpers';

const ctx = (now: number, roster = [{ id: 'b', name: 'B' }]) => ({ mode: 'mesh' as const, now, roster });

function sequence(name: 'mesh-3tabs' | 'sfu-3tabs'): { fixture: ReturnType<typeof loadFixture>; samples: Sample[] } {
  const fixture = loadFixture(name);
  const samples: Sample[] = [];
  fixture.samples.forEach((s, i) => {
    // The third capture was taken after the leaver left: the roster no longer names it.
    const roster = i < 2 ? fixture.roster : fixture.roster.filter((p) => p.id !== fixture.leaver);
    samples.push(normalize(s.raw, samples.at(-1) ?? null, { mode: fixture.mode, now: s.now, roster }));
  });
  return { fixture, samples };
}

function noNaN(value: unknown): void {
  JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    return v;
  });
}

describe('normalize on captured mesh stats (3 tabs)', () => {
  const { samples } = sequence('mesh-3tabs');

  it('has no rates on the first sample and real ones on the second', () => {
    expect(samples[0].upload.totalKbps).toBeNull();
    const s = samples[1];
    expect(s.upload.videoKbps).toBeGreaterThan(50);
    expect(s.upload.audioKbps).toBeGreaterThan(0);
    expect(s.download.videoKbps).toBeGreaterThan(50);
    expect(s.upload.totalKbps).toBeCloseTo((s.upload.audioKbps ?? 0) + (s.upload.videoKbps ?? 0), 0);
    noNaN(s);
  });

  it('counts one encoder and one connection per remote peer, each with a selected pair to the peer', () => {
    const s = samples[1];
    expect(s.connections).toBe(2);
    expect(s.activeEncoders).toBe(2);
    expect(s.layers.every((l) => l.rid === null && l.peerId !== null)).toBe(true);
    for (const c of s.connectionStats) {
      expect(c.role).toBe('peer');
      expect(c.localCandidateType).toBe('host');
      expect(c.relayed).toBe(false);
      expect(c.rttMs).not.toBeNull();
    }
  });

  it('reports frames, fps, resolution and kbps per remote peer', () => {
    for (const p of samples[1].peers) {
      expect(p.framesDecoded).toBeGreaterThan(0);
      expect(p.width).toBeGreaterThan(0);
      expect(p.kbps).toBeGreaterThan(0);
      expect(p.packetLossPct).not.toBeNull();
    }
  });

  it('drops a peer that left between samples without negative rates', () => {
    const s = samples[2];
    expect(s.connections).toBe(1);
    expect(s.peers).toHaveLength(1);
    expect(s.upload.totalKbps).toBeGreaterThanOrEqual(0);
    expect(s.layers.every((l) => (l.kbps ?? 0) >= 0)).toBe(true);
    noNaN(s);
  });
});

describe('normalize on captured SFU stats (3 tabs, simulcast)', () => {
  const { samples } = sequence('sfu-3tabs');

  it('sees the simulcast layers on one send transport and counts each flowing one as an encoder', () => {
    const s = samples[1];
    expect(s.connections).toBe(2);
    const rids = s.layers.map((l) => l.rid).sort();
    expect(rids).toEqual(['r0', 'r1', 'r2']);
    expect(s.activeEncoders).toBeGreaterThanOrEqual(2);
    expect(s.layers.every((l) => l.peerId === null)).toBe(true);
    expect(s.layers.reduce((sum, l) => sum + (l.kbps ?? 0), 0)).toBeCloseTo(s.upload.videoKbps ?? 0, 0);
  });

  it('attributes inbound streams to peers through the receive transport', () => {
    const s = samples[1];
    expect(s.peers).toHaveLength(2);
    for (const p of s.peers) {
      expect(p.framesDecoded).toBeGreaterThan(0);
      expect(p.kbps).toBeGreaterThan(0);
    }
    expect(s.connectionStats.map((c) => c.role).sort()).toEqual(['recv', 'send']);
  });

  it('keeps every rate non-negative after a peer left', () => {
    const s = samples[2];
    expect(s.peers).toHaveLength(1);
    expect(s.download.totalKbps).toBeGreaterThanOrEqual(0);
    noNaN(s);
  });
});

describe('normalize edge cases', () => {
  it('computes kbps from byte deltas over the interval', () => {
    const first = normalize([meshConnection('b', { sent: 1000, received: 0 })], null, ctx(0));
    const second = normalize([meshConnection('b', { sent: 126_000, received: 62_500 })], first, ctx(1000));
    expect(second.upload.videoKbps).toBe(1000);
    expect(second.download.videoKbps).toBe(500);
    expect(second.peers[0].kbps).toBe(500);
    expect(second.activeEncoders).toBe(1);
  });

  it('treats a counter reset (a new stream with the same id) as zero, never negative', () => {
    const first = normalize([meshConnection('b', { sent: 500_000, received: 500_000 })], null, ctx(0));
    const reset = normalize([meshConnection('b', { sent: 10, received: 20 })], first, ctx(1000));
    expect(reset.upload.totalKbps).toBe(0);
    expect(reset.download.totalKbps).toBe(0);
    expect(reset.activeEncoders).toBe(0);
  });

  it('keys deltas by connection and stats id, so a new connection reusing ids starts from zero', () => {
    const first = normalize([meshConnection('b', { sent: 100_000 })], null, ctx(0, [{ id: 'b', name: 'B' }, { id: 'c', name: 'C' }]));
    const second = normalize(
      [meshConnection('b', { sent: 100_000 }), meshConnection('c', { sent: 900_000 })],
      first,
      ctx(1000, [{ id: 'b', name: 'B' }, { id: 'c', name: 'C' }]),
    );
    expect(second.upload.totalKbps).toBe(0);
  });

  it('turns missing fields into null, not NaN', () => {
    const bare = { id: 'peer:b', role: 'peer' as const, peerId: 'b', state: 'new', sending: false, stats: [
      { id: 'O1', type: 'outbound-rtp' },
      { id: 'I1', type: 'inbound-rtp', kind: 'video', jitter: 'x' },
    ] };
    const first = normalize([bare], null, ctx(0));
    const second = normalize([bare], first, ctx(1000));
    noNaN(second);
    expect(second.connectionStats[0]).toMatchObject({ rttMs: null, availableOutgoingKbps: null, localCandidateType: null });
    expect(second.peers[0]).toMatchObject({ fps: null, width: null, jitterMs: null, freezeCount: null, packetLossPct: null });
    expect(second.layers[0]).toMatchObject({ rid: null, width: null, fps: null, qualityLimitationReason: null });
  });

  it('reports a roster peer with no stats yet as all nulls', () => {
    const s = normalize([], null, ctx(0));
    expect(s.peers).toEqual([
      {
        id: 'b', name: 'B', inRoster: true, framesDecoded: null, bytesReceived: 0, fps: null, width: null, height: null,
        jitterMs: null, packetLossPct: null, freezeCount: null, freezeSeconds: null, kbps: null, screen: null,
      },
    ]);
  });

  it('lists media from a peer missing from the roster as not in the roster, instead of hiding it', () => {
    const s = normalize([meshConnection('ghost', { received: 5000 })], null, ctx(0, []));
    expect(s.peers).toMatchObject([{ id: 'ghost', inRoster: false, bytesReceived: 5000 }]);
    expect(toCallStats(s).peers).toEqual([]);
  });

  it('reports the available outgoing bitrate only on connections that send', () => {
    const pair = [
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
      { id: 'P', type: 'candidate-pair', availableOutgoingBitrate: 300_000, currentRoundTripTime: 0.0017000000001862645 },
    ];
    const conn = (sending: boolean) => ({ id: `c${sending}`, role: 'recv' as const, peerId: null, state: 'connected', sending, stats: pair });
    const s = normalize([conn(false), conn(true)], null, ctx(0, []));
    expect(s.connectionStats.map((c) => c.availableOutgoingKbps)).toEqual([null, 300]);
    expect(s.connectionStats[0].rttMs).toBe(1.7);
  });
});

describe('cumulative totals and getStats() come from the same pass as the rates', () => {
  it('sums bytes over connections and peers, and counts upload connections', () => {
    const roster = [{ id: 'b', name: 'B' }, { id: 'c', name: 'C' }];
    const s = normalize(
      [meshConnection('b', { sent: 1000, received: 400 }), meshConnection('c', { sent: 3000, received: 600 })],
      null,
      ctx(0, roster),
    );
    expect(s.totals).toEqual({ bytesSent: 4000, bytesReceived: 1000 });
    expect(s.uploadConnections).toBe(2);
    const stats = toCallStats(s);
    expect(stats).toMatchObject({ mode: 'mesh', bytesSent: 4000, bytesReceived: 1000, connections: 2, uploadConnections: 2 });
    expect(stats.peers).toEqual([
      { id: 'b', name: 'B', framesDecoded: 0, bytesReceived: 400, screenFramesDecoded: 0 },
      { id: 'c', name: 'C', framesDecoded: 0, bytesReceived: 600, screenFramesDecoded: 0 },
    ]);
    expect(stats.connectionDetails.map((c) => [c.peerId, c.bytesSent, c.bytesReceived])).toEqual([
      ['b', 1000, 400],
      ['c', 3000, 600],
    ]);
  });

  it('matches the captured calls: totals equal the sum of every outbound and inbound RTP entry', () => {
    for (const name of ['mesh-3tabs', 'sfu-3tabs'] as const) {
      const { fixture, samples } = sequence(name);
      const raw = fixture.samples[1].raw;
      const sum = (type: string, field: string) =>
        raw.flatMap((c) => c.stats).filter((e) => e.type === type).reduce((t, e) => t + Number(e[field] ?? 0), 0);
      expect(samples[1].totals).toEqual({ bytesSent: sum('outbound-rtp', 'bytesSent'), bytesReceived: sum('inbound-rtp', 'bytesReceived') });
      expect(samples[1].totals.bytesSent).toBeGreaterThan(0);
    }
  });
});
