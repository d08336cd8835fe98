// Window metrics over fixed arrays of the app's own samples (the exportSamples() shape): rates as
// time-weighted means, fps and freezes from cumulative counters, encoders, paths, CPU, and a mesh
// peer leaving mid-window (its bytes vanish from the cumulative totals, upload must not go negative).
import { describe, expect, it } from 'vitest';
import type { AppLayerSample, AppPeerSample, AppSample } from '../../../../../scripts/kit/lib/hooks';
import { counterIncrease, windowMetrics } from '../../../../../scripts/kit/lib/measure/window-metrics';

const peer = (id: string, frames: number | null, extra: Partial<AppPeerSample> = {}): AppPeerSample => ({
  id,
  name: `name-${id}`,
  inRoster: true,
  framesDecoded: frames,
  bytesReceived: 0,
  fps: 15,
  width: 640,
  height: 360,
  jitterMs: 1,
  packetLossPct: 0,
  freezeCount: 0,
  freezeSeconds: 0,
  kbps: 300,
  ...extra,
});

const layer = (connectionId: string, framesEncoded: number | null, extra: Partial<AppLayerSample> = {}): AppLayerSample => ({
  connectionId,
  peerId: null,
  rid: null,
  kbps: 300,
  width: 640,
  height: 360,
  fps: 15,
  framesEncoded,
  qualityLimitationReason: 'none',
  ...extra,
});

interface Spec {
  t: number;
  up: number | null;
  down?: number | null;
  sent?: number;
  peers?: AppPeerSample[];
  layers?: AppLayerSample[];
  connections?: AppSample['connectionStats'];
  ping?: Record<string, number | null>;
}

function sample(s: Spec): AppSample {
  const layers = s.layers ?? [];
  const connections = s.connections ?? [];
  return {
    timestamp: s.t,
    mode: 'mesh',
    upload: { totalKbps: s.up, audioKbps: null, videoKbps: s.up },
    download: { totalKbps: s.down ?? null, audioKbps: null, videoKbps: s.down ?? null },
    activeEncoders: layers.length,
    connections: connections.length,
    uploadConnections: connections.length,
    totals: { bytesSent: s.sent ?? 0, bytesReceived: 0 },
    connectionStats: connections,
    peers: s.peers ?? [],
    layers,
    pingRtt: s.ping ?? {},
  };
}

const conn = (id: string, rttMs: number | null, localCandidateType: string | null): AppSample['connectionStats'][number] => ({
  id,
  role: 'peer',
  peerId: id,
  state: 'connected',
  localCandidateType,
  remoteCandidateType: 'host',
  protocol: 'udp',
  relayed: localCandidateType === 'relay',
  rttMs,
  availableOutgoingKbps: 1000,
  upKbps: 300,
  downKbps: 300,
  bytesSent: 0,
  bytesReceived: 0,
});

describe('windowMetrics', () => {
  it('needs a baseline and at least one sample after it', () => {
    expect(windowMetrics([])).toBeNull();
    expect(windowMetrics([sample({ t: 1000, up: 5 })])).toBeNull();
  });

  it('averages the per-interval rates weighted by each interval, ignoring the baseline rate', () => {
    // Intervals: 1 s at 1000 kbps, then 3 s at 200 kbps → (1000·1 + 200·3) / 4 = 400.
    const w = windowMetrics([
      sample({ t: 0, up: 99_999, down: 99_999 }),
      sample({ t: 1000, up: 1000, down: 500 }),
      sample({ t: 4000, up: 200, down: 100 }),
    ])!;
    expect(w.seconds).toBe(4);
    expect(w.uploadKbps).toBe(400);
    expect(w.downloadKbps).toBe(200);
  });

  it('leaves out intervals without a rate (null) and gives 0 when none has one', () => {
    const w = windowMetrics([sample({ t: 0, up: null }), sample({ t: 1000, up: null }), sample({ t: 3000, up: 600 })])!;
    expect(w.uploadKbps).toBe(600);
    expect(windowMetrics([sample({ t: 0, up: null }), sample({ t: 1000, up: null })])!.uploadKbps).toBe(0);
  });

  it('a mesh peer leaving mid-window: upload stays >= 0 and equals the weighted mean of the app rates', () => {
    // Two copies of our video (peers a and b) until b leaves after t=2000: its connection's bytes
    // drop out of the cumulative total, so a cumulative subtraction would say negative upload.
    const samples = [
      sample({ t: 0, up: 600, sent: 1_000_000, peers: [peer('a', 0), peer('b', 0)] }),
      sample({ t: 1000, up: 600, sent: 1_075_000, peers: [peer('a', 15), peer('b', 15)] }),
      sample({ t: 2000, up: 600, sent: 1_150_000, peers: [peer('a', 30), peer('b', 30)] }),
      sample({ t: 3000, up: 300, sent: 612_500, peers: [peer('a', 45)] }),
      sample({ t: 4000, up: 300, sent: 650_000, peers: [peer('a', 60)] }),
    ];
    const cumulative = ((samples[4].totals.bytesSent - samples[0].totals.bytesSent) * 8) / 4 / 1000;
    expect(cumulative).toBeLessThan(0);
    const w = windowMetrics(samples)!;
    expect(w.uploadKbps).toBeGreaterThanOrEqual(0);
    expect(w.uploadKbps).toBe((600 * 1 + 600 * 1 + 300 * 1 + 300 * 1) / 4);
    expect(w.remotes.map((r) => [r.id, r.fps])).toEqual([['a', 15]]);
  });

  it('fps per remote counts decoded frames over the time the peer was there, surviving a counter reset', () => {
    const w = windowMetrics([
      sample({ t: 0, up: 1, peers: [peer('a', 100)] }),
      sample({ t: 1000, up: 1, peers: [peer('a', 115), peer('late', 0)] }),
      // a's stream was re-created (SFU consumer replaced): its counter starts again from 0.
      sample({ t: 2000, up: 1, peers: [peer('a', 14), peer('late', 10)] }),
    ])!;
    const byId = Object.fromEntries(w.remotes.map((r) => [r.id, r]));
    expect(byId.a.fps).toBe(14.5);
    expect(byId.a.framesDecoded).toBe(14);
    expect(byId.late.fps).toBe(10);
  });

  it('counts freezes inside the window, null when the browser does not report them', () => {
    const w = windowMetrics([
      sample({ t: 0, up: 1, peers: [peer('a', 0, { freezeCount: 1, freezeSeconds: 0.5 }), peer('b', 0, { freezeCount: null, freezeSeconds: null })] }),
      sample({ t: 2000, up: 1, peers: [peer('a', 30, { freezeCount: 3, freezeSeconds: 1.5 }), peer('b', 30, { freezeCount: null, freezeSeconds: null })] }),
    ])!;
    const [a, b] = w.remotes;
    expect([a.freezes, a.freezeSeconds]).toEqual([2, 1]);
    expect([b.freezes, b.freezeSeconds]).toEqual([null, null]);
    expect(a.resolution).toBe('640x360');
    expect(a.name).toBe('name-a');
  });

  it('active encoders: layers of the last sample whose framesEncoded grew; quality limits counted from layers', () => {
    const w = windowMetrics([
      sample({ t: 0, up: 1, layers: [layer('c1', 10, { rid: 'h' }), layer('c1', 10, { rid: 'l' }), layer('c2', null)] }),
      sample({
        t: 1000,
        up: 1,
        layers: [
          layer('c1', 25, { rid: 'h', qualityLimitationReason: 'cpu' }),
          layer('c1', 10, { rid: 'l', qualityLimitationReason: 'cpu' }),
          layer('c2', null, { kbps: 0, qualityLimitationReason: 'bandwidth' }),
          layer('c3', null, { kbps: 120, qualityLimitationReason: null }),
        ],
      }),
    ])!;
    expect(w.activeEncoders).toBe(2);
    expect(w.outboundVideoStreams).toBe(4);
    expect(w.qualityLimitation).toEqual({ cpu: 2, bandwidth: 1 });
  });

  it('paths, RTT, ping and connections from the last sample; CPU over the given wall time', () => {
    const last = sample({
      t: 2000,
      up: 1,
      connections: [conn('x', 1, 'host'), conn('y', 3, 'relay'), conn('z', null, null)],
      ping: { x: 4, y: 8, z: null },
    });
    const w = windowMetrics([sample({ t: 0, up: 1 }), last], { a: 10, b: 11, seconds: 2 })!;
    expect(w.rttMs).toBe(2);
    expect(w.pingMs).toBe(6);
    expect(w.localCandidateTypes).toEqual(['host', 'relay']);
    expect(w.connections).toBe(3);
    expect(w.cpuPct).toBe(50);
    expect(windowMetrics([sample({ t: 0, up: 1 }), sample({ t: 1, up: 1 })], { a: null, b: 3, seconds: 1 })!.cpuPct).toBeNull();
    expect(windowMetrics([sample({ t: 0, up: 1 }), sample({ t: 1, up: 1 })])!.rttMs).toBeNull();
  });

  it('takes the samples in time order whatever order they come in', () => {
    const w = windowMetrics([sample({ t: 2000, up: 100 }), sample({ t: 0, up: 5000 }), sample({ t: 1000, up: 300 })])!;
    expect(w.uploadKbps).toBe(200);
  });
});

describe('counterIncrease', () => {
  it('is the growth of a counter, or the new value after a reset', () => {
    expect(counterIncrease(10, 25)).toBe(15);
    expect(counterIncrease(10, 10)).toBe(0);
    expect(counterIncrease(100, 7)).toBe(7);
  });
});
