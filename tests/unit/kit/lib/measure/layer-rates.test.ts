// What an upload is made of, from the app's samples' layers: mesh copies (rid null, one per peer)
// averaged per copy, SFU simulcast layers ordered by resolution (low and full), audio apart,
// screen-share encodings left out, rates time-weighted over the window's intervals.
import { describe, expect, it } from 'vitest';
import type { AppLayerSample, AppSample } from '../../../../../scripts/kit/lib/hooks';
import { layerRates, outgoingEstimateKbps } from '../../../../../scripts/kit/lib/measure/layer-rates';
import { RECORDED_SFU_WINDOW, traceToSamples } from './recorded-upload';

const layer = (connectionId: string, kbps: number | null, extra: Partial<AppLayerSample> = {}): AppLayerSample => ({
  connectionId,
  peerId: null,
  rid: null,
  kbps,
  width: 640,
  height: 360,
  fps: 15,
  framesEncoded: 0,
  qualityLimitationReason: 'none',
  ...extra,
});

function sample(t: number, audio: number | null, layers: AppLayerSample[]): AppSample {
  const video = layers.reduce((a, l) => a + (l.kbps ?? 0), 0);
  return {
    timestamp: t,
    mode: 'mesh',
    upload: { totalKbps: audio === null ? null : audio + video, audioKbps: audio, videoKbps: audio === null ? null : video },
    download: { totalKbps: null, audioKbps: null, videoKbps: null },
    activeEncoders: layers.length,
    connections: 1,
    uploadConnections: 1,
    totals: { bytesSent: 0, bytesReceived: 0 },
    connectionStats: [],
    peers: [],
    layers,
    pingRtt: {},
  };
}

describe('layerRates', () => {
  it('needs two samples', () => {
    expect(layerRates([])).toBeNull();
    expect(layerRates([sample(0, 30, [])])).toBeNull();
  });

  it('mesh: one copy per peer, averaged per copy; audio apart', () => {
    const r = layerRates([
      sample(0, null, [layer('pa', null, { peerId: 'a' }), layer('pb', null, { peerId: 'b' })]),
      sample(1000, 60, [layer('pa', 400, { peerId: 'a' }), layer('pb', 600, { peerId: 'b' })]),
      sample(3000, 60, [layer('pa', 500, { peerId: 'a' }), layer('pb', 500, { peerId: 'b' })]),
    ])!;
    expect(r.copies).toBe(2);
    // a: (400·1 + 500·2)/3, b: (600·1 + 500·2)/3 → per copy 500.
    expect(r.perCopyKbps).toBeCloseTo(500, 10);
    expect(r.encodings.map((e) => [e.key, Math.round(e.kbps)])).toEqual([
      ['pa/', 467],
      ['pb/', 533],
    ]);
    expect(r.audioKbps).toBe(60);
    expect(r.videoKbps).toBe(1000);
    expect(r.lowKbps).toBeNull();
    expect(r.highKbps).toBeNull();
  });

  it('SFU: the lowest-resolution layer is low and the largest is full, whatever their rids or order', () => {
    const layers = (hi: number, lo: number) => [layer('send', hi, { rid: 'r1' }), layer('send', lo, { rid: 'r0', width: 160, height: 90 })];
    const r = layerRates([sample(0, null, layers(0, 0)), sample(1000, 30, layers(700, 100)), sample(2000, 30, layers(900, 120))])!;
    expect(r.copies).toBe(0);
    expect(r.perCopyKbps).toBeNull();
    expect(r.highKbps).toBe(800);
    expect(r.lowKbps).toBe(110);
    expect(r.encodings).toHaveLength(2);
  });

  it('without frame sizes, orders simulcast layers by rid (mediasoup-client lists them lowest first)', () => {
    const ls = [layer('send', 800, { rid: 'r1', width: null, height: null }), layer('send', 100, { rid: 'r0', width: null, height: null })];
    const r = layerRates([sample(0, 0, ls), sample(1000, 0, ls)])!;
    expect([r.lowKbps, r.highKbps]).toEqual([100, 800]);
  });

  it('a single simulcast layer gives a low rate and no full one; screen encodings are left out', () => {
    const ls = [layer('send', 150, { rid: 'r0' }), { ...layer('screen', 999), source: 'screen' } as AppLayerSample];
    const r = layerRates([sample(0, 0, ls), sample(1000, 0, ls)])!;
    expect(r.encodings.map((e) => e.key)).toEqual(['send/r0']);
    expect(r.lowKbps).toBe(150);
    expect(r.highKbps).toBeNull();
  });

  it('on a recorded SFU window (N=3): a full layer, a low layer and audio that add up to the upload', () => {
    const samples = traceToSamples(RECORDED_SFU_WINDOW);
    const r = layerRates(samples)!;
    expect(r.copies).toBe(0);
    expect(r.encodings.map((e) => [e.rid, e.width])).toEqual([
      ['r0', 160],
      ['r1', 640],
    ]);
    expect(Math.round(r.highKbps!)).toBe(113);
    expect(Math.round(r.lowKbps!)).toBe(75);
    expect(r.highKbps! + r.lowKbps!).toBeCloseTo(r.videoKbps, 0);
    expect(r.audioKbps).toBeGreaterThan(20);
  });
});

describe('outgoingEstimateKbps', () => {
  const withEstimates = (t: number, estimates: (number | null)[]): AppSample => ({
    ...sample(t, 0, []),
    connectionStats: estimates.map((e, i) => ({
      id: `c${i}`,
      role: 'peer',
      peerId: `p${i}`,
      state: 'connected',
      localCandidateType: 'host',
      remoteCandidateType: 'host',
      protocol: 'udp',
      relayed: false,
      rttMs: 1,
      availableOutgoingKbps: e,
      upKbps: null,
      downKbps: null,
      bytesSent: 0,
      bytesReceived: 0,
    })),
  });

  it('is the median over samples of the median over the sending connections that report one', () => {
    expect(outgoingEstimateKbps([withEstimates(0, [1000, 2000, null]), withEstimates(1000, [3000]), withEstimates(2000, [500, 700, 900])])).toBe(1500);
    expect(outgoingEstimateKbps([withEstimates(0, [null]), withEstimates(1000, [])])).toBeNull();
  });
});
