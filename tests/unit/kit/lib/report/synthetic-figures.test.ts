// The SYNTHETIC benchmark's maths on recorded numbers: a participant's window from its counters,
// per-step summaries, medians over runs, the mesh/SFU ratio per run against the cost model with the
// reasons for a miss, the knee and its rule, and the SYNTHETIC labels of the report and charts.
import { describe, expect, it } from 'vitest';
import {
  aggregateSynthetic,
  brokenLimits,
  DEFAULT_KNEE_RULE,
  packetsTo,
  participantFigures,
  summarizeSynthetic,
  syntheticKnee,
  syntheticRatios,
  type SyntheticParticipant,
  type SyntheticStep,
  type SyntheticSummary,
} from '../../../../../scripts/kit/lib/report/synthetic-figures';
import { syntheticCharts, syntheticMarkdown } from '../../../../../scripts/kit/lib/report/synthetic-report';
import type { PeerSnapshot } from '../../../../../scripts/kit/lib/rtp/synthetic-peer';

/** A mesh peer's counters, recorded at N=3: two copies (ports 5001, 5002) of audio + full. */
function meshSnap(t: number, scale: number, extra: Partial<PeerSnapshot> = {}): PeerSnapshot {
  const copy = (port: number) => ({
    port,
    rtcpBytes: 56 * scale,
    streams: [
      { label: 'audio', kind: 'audio' as const, packets: 50 * scale, bytes: 4600 * scale, frames: 50 * scale },
      { label: 'full', kind: 'video' as const, packets: 75 * scale, bytes: 75_900 * scale, frames: 15 * scale },
    ],
  });
  return {
    t,
    cpuMs: 30 * scale,
    outputs: [copy(5001), copy(5002)],
    framesDue: 130 * scale,
    framesSkipped: 0,
    lateMsSum: 130 * scale,
    lateFrames: 130 * scale,
    received: { packets: 250 * scale, bytes: 161_000 * scale },
    keyFrameRequests: 0,
    sendErrors: 0,
    ...extra,
  };
}

describe('participantFigures and packetsTo', () => {
  it('turns counters at the start, at the pause and after the drain into one window', () => {
    const a = meshSnap(1_000, 1);
    const b = meshSnap(11_000, 11, { framesSkipped: 13 });
    const drained = meshSnap(11_300, 11, { received: { packets: 2_740, bytes: 1_771_000 } });
    const p = participantFigures(a, b, drained, 2_500, 11_000);
    expect(participantFigures(a, b, drained, 2_500, 12_000).downloadKbps).toBeCloseTo(((1_771_000 - 161_000) * 8) / 11_000, 6);
    // 10 s: per copy 10 × (4600 + 75900) B RTP + 10 × 56 B RTCP, two copies.
    expect(p.uploadKbps).toBeCloseTo((2 * 10 * (4600 + 75_900 + 56) * 8) / 10_000, 6);
    expect(p.rtcpKbps).toBeCloseTo((2 * 10 * 56 * 8) / 10_000, 6);
    expect(p.fullKbps).toBeCloseTo(607.2, 6); // per copy
    expect(p.audioKbps).toBeCloseTo(36.8, 6);
    expect(p.lowKbps).toBeNull();
    expect(p.copies).toBe(2);
    expect(p.downloadKbps).toBeCloseTo(((1_771_000 - 161_000) * 8) / 10_000, 6);
    expect(p.cpuPct).toBeCloseTo(3, 6);
    expect(p.shortfallPct).toBeCloseTo(1, 6);
    expect(p.meanLateMs).toBe(1);
    expect(p.receivedPackets).toBe(2_490);
    expect(packetsTo(a, b, 5002)).toBe(1_250);
    expect(packetsTo(a, b, 5002, ['full'])).toBe(750);
    expect(packetsTo(a, b, 9999)).toBe(0);
  });
});

function participant(up: number, extra: Partial<SyntheticParticipant> = {}): SyntheticParticipant {
  return { uploadKbps: up, rtcpKbps: 0.7, audioKbps: 36.8, lowKbps: 152.9, fullKbps: 607.2, copies: 1, downloadKbps: 700, cpuPct: 2, shortfallPct: 0, meanLateMs: 1, expectedPackets: 1000, receivedPackets: 1000, ...extra };
}

function step(mode: 'mesh' | 'sfu', n: number, run: number, ups: number[], extra: Partial<SyntheticStep> = {}, p: Partial<SyntheticParticipant> = {}): SyntheticStep {
  const meshP = { lowKbps: null, copies: n - 1 };
  return {
    n,
    mode,
    run,
    seconds: 10,
    participants: ups.map((u) => participant(u, { ...(mode === 'mesh' ? meshP : {}), ...p })),
    workerCpuPct: mode === 'sfu' ? 5 : null,
    sfuEgressKbps: mode === 'sfu' ? 1400 : null,
    sfuEgressMediasoupKbps: mode === 'sfu' ? 1401 : null,
    sfuIngressMediasoupKbps: mode === 'sfu' ? 1594 : null,
    fullLayerConsumers: mode === 'sfu' ? { onFull: 2, video: 2 } : null,
    loadavg1: 1,
    ...extra,
  };
}

// Recorded on this machine (N=3): mesh 1287, SFU 797 kbps per participant.
const SFU_UP = 797.6;
const MESH_UP_3 = 1288.8;

describe('summaries, ratio and knee', () => {
  it('summarizes a step: medians over participants, summed CPU, loss over every sink, the worst shortfall', () => {
    const s = summarizeSynthetic(
      step('sfu', 3, 1, [790, SFU_UP, 800], {}, { receivedPackets: 990, cpuPct: 3 }),
    );
    expect(s.uploadKbps).toBe(SFU_UP);
    expect(s.cpuTotalPct).toBe(9);
    expect(s.lossPct).toBeCloseTo(1, 6);
    expect(s.workerCpuPct).toBe(5);
    expect(s.lowKbps).toBe(152.9);
  });

  it('holds each run against (N−1)(b_full + a)/(b_full + b_low + a) and aggregates over runs', () => {
    const summaries = [1, 2, 3].flatMap((r) => [summarizeSynthetic(step('mesh', 3, r, [MESH_UP_3 + r, MESH_UP_3 + r, MESH_UP_3])), summarizeSynthetic(step('sfu', 3, r, [SFU_UP, SFU_UP, SFU_UP]))]);
    const [row] = syntheticRatios(summaries, 0.1);
    const expected = (2 * (607.2 + 36.8)) / (607.2 + 152.9 + 36.8);
    expect(row.expected.median).toBeCloseTo(expected, 9);
    expect(row.measured.median).toBeCloseTo((MESH_UP_3 + 2) / SFU_UP, 9);
    expect(row.within).toBe(true);
    expect(row.reasons).toEqual([]);
    const agg = aggregateSynthetic(summaries);
    expect(agg.map((a) => `${a.n}${a.mode}${a.runs}`)).toEqual(['3mesh3', '3sfu3']);
    expect(agg[0].upload.max).toBe(MESH_UP_3 + 3);
  });

  it('says why a run misses: mesh senders that fell behind, with their CPU and the load', () => {
    const summaries = [
      summarizeSynthetic(step('mesh', 16, 1, [7000, 6900], { loadavg1: 30 }, { shortfallPct: 25, cpuPct: 1.2 })),
      summarizeSynthetic(step('sfu', 16, 1, [SFU_UP, SFU_UP])),
      summarizeSynthetic(step('mesh', 16, 2, [9660, 9660])),
      summarizeSynthetic(step('sfu', 16, 2, [SFU_UP, SFU_UP])),
    ];
    const [row] = syntheticRatios(summaries, 0.1);
    expect(row.within).toBe(false);
    expect(row.runs.map((r) => r.within)).toEqual([false, true]);
    expect(row.reasons).toHaveLength(1);
    // Due: 15 copies × (607.2 + 36.8) = 9660 kbps; sent 6950 (median of two peers).
    expect(row.reasons[0]).toMatch(/^run 1: ×8\.71 against ×12\.12 \(-28 %, outside ±10 %\): mesh peers uploaded -28 % against their schedule \(6950 of 9660 kbps; the worst dropped 25\.0 % of its frames while each used 1\.2 % of a core, at load average 30\.0\)/);
    expect(row.reasons[0]).toMatch(/not given the CPU in time/);
    expect(row.reasons[0]).not.toMatch(/SFU participants/);
    // With the schedule given, a side that sent more than the model's stand-in is not blamed for it.
    const scheduled = (mode: 'mesh' | 'sfu', n: number) => (mode === 'mesh' ? (n - 1) * 644.4 : 797.6);
    expect(syntheticRatios(summaries, 0.1, scheduled)[0].reasons[0]).toMatch(/mesh peers uploaded -28 % against their schedule \(6950 of 9666 kbps/);
  });

  it('finds the knee by its rule: loss, worker CPU or frames dropped', () => {
    const aggs = aggregateSynthetic([
      summarizeSynthetic(step('mesh', 2, 1, [640])),
      summarizeSynthetic(step('mesh', 8, 1, [4500], {}, { shortfallPct: 12 })),
      summarizeSynthetic(step('mesh', 9, 1, [4500], {}, { receivedPackets: 900 })),
      summarizeSynthetic(step('sfu', 2, 1, [SFU_UP])),
      summarizeSynthetic(step('sfu', 16, 1, [SFU_UP], { workerCpuPct: 95 })),
    ]);
    const mesh = syntheticKnee(aggs, 'mesh');
    expect(mesh.n).toBe(8);
    expect(mesh.why).toEqual(['senders dropped 12.0 % of frames > 10 %']);
    expect(brokenLimits(aggs.find((a) => a.n === 9)!, DEFAULT_KNEE_RULE)).toEqual(['loss 10.00 % > 2 %']);
    expect(syntheticKnee(aggs, 'sfu')).toMatchObject({ n: 16, why: ['worker CPU 95 % > 90 %'] });
    expect(mesh.rule).toMatch(/loss at the sinks > 2 %.*CPU > 90 %.*> 10 % of its scheduled frames/);
    expect(syntheticKnee(aggs.filter((a) => a.n === 2), 'mesh').n).toBeNull();
  });

  it('labels the report and every chart SYNTHETIC', () => {
    const summaries: SyntheticSummary[] = [summarizeSynthetic(step('mesh', 2, 1, [643])), summarizeSynthetic(step('sfu', 2, 1, [SFU_UP]))];
    const aggs = aggregateSynthetic(summaries);
    const ratios = syntheticRatios(summaries);
    const charts = syntheticCharts(aggs, ratios);
    for (const svg of Object.values(charts)) expect(svg).toMatch(/<text[^>]*font-weight="bold">SYNTHETIC: /);
    const md = syntheticMarkdown(aggs, ratios, [syntheticKnee(aggs, 'mesh')], { startedAt: 'x', command: 'synthetic', runs: 1, seconds: 10, streams: 's', cpus: 2, loadavg: [1, 2], maxN: 2 });
    expect(md).toMatch(/^# SYNTHETIC/);
    expect(md).toContain('does not encode');
    expect(md).toContain('(N−1)·(b_full + a) / (b_full + b_low + a)');
  });
});
