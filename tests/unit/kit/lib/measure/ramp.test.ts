// The SFU ramp benchmark's figures: the smoothed upload, ramp time to a steady value (on recorded
// uploads: a mesh participant settling, an SFU participant whose full layer switched off), the
// per-participant record (layers, estimate, limitations, received sizes by sender name), and the
// mesh-vs-SFU aggregates and resolution verdict.
import { describe, expect, it } from 'vitest';
import type { AppLayerSample, AppSample } from '../../../../../scripts/kit/lib/hooks';
import { aggregate, participantRamp, RAMP_RULE, rampOf, rampTable, resolutionVerdicts, smoothedUpload, type ParticipantRamp, type RampStep } from '../../../../../scripts/kit/lib/measure/ramp';
import { RECORDED_MESH_SETTLE, RECORDED_SFU_DECAY } from './recorded-upload';

const T0 = 1_795_431_000_000;

function sample(t: number, kbps: number | null, o: { layers?: AppLayerSample[]; peers?: { id: string; width: number | null }[]; aob?: number | null } = {}): AppSample {
  return {
    timestamp: t,
    mode: 'sfu',
    upload: { totalKbps: kbps, audioKbps: kbps === null ? null : 25, videoKbps: kbps === null ? null : kbps - 25 },
    download: { totalKbps: null, audioKbps: null, videoKbps: null },
    activeEncoders: o.layers?.length ?? 0,
    connections: 2,
    uploadConnections: 1,
    totals: { bytesSent: 0, bytesReceived: 0 },
    connectionStats: o.aob === undefined ? [] : [{ id: 'send', role: 'send', peerId: null, state: 'connected', availableOutgoingKbps: o.aob, upKbps: kbps, downKbps: 0, bytesSent: 0, bytesReceived: 0 } as AppSample['connectionStats'][number]],
    peers: (o.peers ?? []).map((p) => ({ id: p.id, name: `name-${p.id}`, inRoster: true, framesDecoded: 1, bytesReceived: 0, fps: 15, width: p.width, height: p.width === null ? null : (p.width * 9) / 16, jitterMs: null, packetLossPct: null, freezeCount: null, freezeSeconds: null, kbps: null })),
    layers: o.layers ?? [],
    pingRtt: {},
  };
}

/** One sample per second from T0, the first one without a rate (as the app's first sample). */
const series = (rates: readonly (number | null)[]) => rates.map((r, i) => sample(T0 + i * 1000, r));

describe('smoothedUpload', () => {
  it('is the time-weighted mean over the last smoothS seconds', () => {
    const s = smoothedUpload(series([null, 100, 100, 100, 500, 500, 500, 500]), 4);
    expect(s.map((p) => Math.round(p.kbps))).toEqual([100, 100, 100, 200, 300, 400, 500]);
  });
});

describe('rampOf', () => {
  it('a step from nothing to a steady 500 kbps: ramp is when the 4 s mean enters ±10 % and stays', () => {
    const rates = [null, 0, 0, 0, ...Array.from({ length: 30 }, () => 500)];
    const { rampS, steadyKbps } = rampOf(series(rates), T0, { ...RAMP_RULE, windowS: 30 });
    expect(steadyKbps).toBe(500);
    // The mean over 4 s first reaches 450 when all four intervals are at 500: the sample at 7 s.
    expect(rampS).toBe(7);
    expect(rampOf(series(rates), T0).steadyTail).toBe(true);
  });

  it('recorded mesh participants (N=2, topology run): one near 910 kbps, reached by 21 s; one that halved at 18 s, still moving in the steady part', () => {
    const first = rampOf(series(RECORDED_MESH_SETTLE[0]), T0);
    expect(first.steadyKbps!).toBeCloseTo(913.75, 1);
    expect(first.rampS).toBe(21);
    // A spike at 17 s (1470 kbps) is still in the 4 s mean at 20-21 s, the start of the steady part.
    expect(first.steadyTail).toBe(false);
    const second = rampOf(series(RECORDED_MESH_SETTLE[1]), T0);
    expect(second.steadyKbps!).toBeCloseTo(403.75, 1);
    expect(second.rampS!).toBeGreaterThan(20);
    expect(second.steadyTail).toBe(false);
  });

  it('recorded SFU participant whose full layer switched off: late and low, flagged as still moving', () => {
    const short = rampOf(series(RECORDED_SFU_DECAY), T0);
    expect(short.steadyKbps).toBe(188);
    expect(short.rampS).toBe(28);
    expect(short.steadyTail).toBe(false);
    const long = rampOf(series(RECORDED_SFU_DECAY), T0, { ...RAMP_RULE, windowS: 56 });
    expect(long.steadyKbps!).toBeLessThan(100);
    expect(long.steadyTail).toBe(false);
  });

  it('samples before the join and after the window are left out', () => {
    const rates = [null, 900, 900, 900, ...Array.from({ length: 40 }, () => 300)];
    const joinAt = T0 + 3_000;
    const { steadyKbps, rampS } = rampOf(series(rates), joinAt, { ...RAMP_RULE, windowS: 20 });
    expect(steadyKbps).toBe(300);
    expect(rampS).toBe(1);
  });

  it('no rates at all: no steady value, no ramp', () => {
    expect(rampOf(series([null, null, null]), T0)).toEqual({ rampS: null, steadyKbps: null, steadyTail: false });
  });
});

const layer = (rid: string, kbps: number, width: number | null, reason: string): AppLayerSample => ({
  connectionId: 'send',
  peerId: null,
  rid,
  kbps,
  width,
  height: width === null ? null : (width * 9) / 16,
  fps: 15,
  framesEncoded: 0,
  qualityLimitationReason: reason,
});

describe('participantRamp', () => {
  it('layers, estimate and limitations over the steady part; received sizes per sender name', () => {
    const samples = Array.from({ length: 32 }, (_, i) =>
      sample(T0 + i * 1000, i === 0 ? null : 1_000, {
        layers: [layer('r0', 100, 160, 'none'), layer('r1', 875, 640, i < 10 ? 'bandwidth' : 'none')],
        peers: [
          { id: 'a', width: 640 },
          { id: 'b', width: i < 20 ? 160 : 640 },
        ],
        aob: 1_200,
      }),
    );
    const p = participantRamp('p1', samples, T0, { a: 'p2', b: 'p3' });
    expect(p.steadyKbps).toBe(1_000);
    expect(p.rampS).toBe(1);
    expect(p.lowLayerKbps).toBe(100);
    expect(p.highLayerKbps).toBe(875);
    expect(p.copies).toBe(0);
    expect(p.perCopyKbps).toBeNull();
    expect(p.availableOutgoingKbps).toBe(1_200);
    // 30 samples after the first within the 30 s window, two layers each; r1 limited in samples 1..9.
    expect(p.limitations).toEqual({ bandwidth: 9, none: 51 });
    expect(p.received).toEqual([
      { from: 'p2', width: 640, height: 360 },
      { from: 'p3', width: 160, height: 90 },
    ]);
    expect(p.coveredS).toBe(30);
  });
});

const someone = (name: string, widths: number[], rampS: number | null): ParticipantRamp => ({
  name,
  rampS,
  steadyKbps: 500,
  steadyTail: rampS !== null,
  perCopyKbps: null,
  copies: 0,
  lowLayerKbps: 80,
  highLayerKbps: 400,
  audioKbps: 25,
  availableOutgoingKbps: 900,
  limitations: { none: 10 },
  received: widths.map((w, i) => ({ from: `x${i}`, width: w, height: (w * 9) / 16 })),
  coveredS: 30,
});

describe('aggregate and resolutionVerdicts', () => {
  const step = (mode: 'mesh' | 'sfu', loaded: boolean, widths: number[], rampS: number | null): RampStep => ({
    mode,
    loaded,
    run: 1,
    loadavg: [1, 2],
    participants: [someone('p1', widths, rampS), someone('p2', widths, 3)],
  });

  it('groups by load and mode; counts full-size pairs, goal and still-moving participants', () => {
    const aggs = aggregate([step('mesh', false, [640, 640], 2), step('sfu', false, [640, 640], null), step('mesh', true, [640, 640], 4), step('sfu', true, [160, 640], 9)]);
    expect(aggs.map((a) => `${a.loaded ? 'loaded' : 'idle'} ${a.mode}`)).toEqual(['idle mesh', 'idle sfu', 'loaded mesh', 'loaded sfu']);
    const loadedSfu = aggs[3];
    expect(loadedSfu.fullSizePairs).toBe(2);
    expect(loadedSfu.pairs).toBe(4);
    expect(loadedSfu.withinGoal).toBe(1);
    expect(aggs[1].stillMoving).toBe(1);
    const verdicts = resolutionVerdicts(aggs);
    expect(verdicts.map((v) => [v.loaded, v.holds])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(verdicts[1].reason).toContain('lowest pair 160');
    const table = rampTable(aggs);
    expect(table.split('\n')[0]).toBe('| per participant, median (min–max) | mesh idle | sfu idle | mesh loaded | sfu loaded |');
    expect(table).toContain('| received width, px (per pair) |');
  });

  it('cannot tell without both modes', () => {
    expect(resolutionVerdicts(aggregate([step('sfu', true, [640], 1)]))).toEqual([{ loaded: true, holds: null, reason: 'one mode has no received video to compare' }]);
  });
});
