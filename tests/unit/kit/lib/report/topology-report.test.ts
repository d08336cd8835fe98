// The topology benchmark's maths and formatting on fixed inputs: per-step medians, medians with
// spread over repeated runs, the mesh/SFU ratio per run against the cost model (simulcast layers
// included) and the reasons for a miss, the fps knee and its rule, the tables and the SVG charts.
import { describe, expect, it } from 'vitest';
import type { LayerRates } from '../../../../../scripts/kit/lib/measure/layer-rates';
import type { ParticipantWindow } from '../../../../../scripts/kit/lib/measure/window-metrics';
import { lineChart, niceCeil } from '../../../../../scripts/kit/lib/report/svg-chart';
import { charts, markdownReport, ratioLines } from '../../../../../scripts/kit/lib/report/topology-markdown';
import {
  accountedRatio,
  aggregateRuns,
  expectedRatio,
  formatKnee,
  formatTable,
  kneeOf,
  kneeRule,
  ratioRows,
  ratioTableRows,
  summarizeStep,
  tableRows,
  type StepParticipant,
  type TopologyStep,
} from '../../../../../scripts/kit/lib/report/topology-report';

function win(up: number, fps: number[], extra: Partial<ParticipantWindow> = {}): ParticipantWindow {
  return {
    seconds: 10,
    uploadKbps: up,
    downloadKbps: up - 100,
    connections: 1,
    uploadConnections: 1,
    activeEncoders: 1,
    outboundVideoStreams: 1,
    remotes: fps.map((f, i) => ({ id: `r${i}`, name: `r${i}`, framesDecoded: 100, inRoster: true, fps: f, freezes: 0, freezeSeconds: 0, resolution: '640x360' })),
    rttMs: 1,
    pingMs: null,
    localCandidateTypes: ['host'],
    qualityLimitation: { none: 1 },
    cpuPct: 40,
    ...extra,
  };
}

const meshLayers = (copies: number, perCopy: number, audioPerCopy = 30): LayerRates => ({
  audioKbps: audioPerCopy * copies,
  videoKbps: perCopy * copies,
  encodings: [],
  copies,
  perCopyKbps: perCopy,
  lowKbps: null,
  highKbps: null,
});
const sfuLayers = (high: number, low: number, audio = 30): LayerRates => ({ audioKbps: audio, videoKbps: high + low, encodings: [], copies: 0, perCopyKbps: null, lowKbps: low, highKbps: high });

const part = (name: string, joinMs: number, w: ParticipantWindow, layers: LayerRates | null = null): StepParticipant => ({ name, status: 'joined', errorCode: null, joinMs, window: w, layers });

const step = (n: number, mode: 'mesh' | 'sfu', participants: StepParticipant[], extra: Partial<TopologyStep> = {}): TopologyStep => ({
  n,
  mode,
  complete: true,
  participants,
  serverCpuPct: null,
  sfuEgressKbps: null,
  ...extra,
});

const settled = (seconds: number, ok = true) => ({ rule: { samples: 5, tolerance: 0.1 }, settled: ok, seconds, capSeconds: 60 });

const steps: TopologyStep[] = [
  step(2, 'mesh', [part('p1', 2000, win(1000, [15], { rttMs: 1, cpuPct: 40 })), part('p2', 3000, win(1100, [14], { rttMs: 3, cpuPct: 50 }))]),
  step(2, 'sfu', [part('p1', 1000, win(200, [15])), part('p2', 1000, win(300, [15]))], { serverCpuPct: 12.34, sfuEgressKbps: 512.6 }),
  step(3, 'mesh', [part('p1', 1000, win(2000, [12, 13])), part('p2', 1000, win(2100, [12, 12])), part('p3', 1000, win(2200, [11, 14]))]),
  step(3, 'sfu', [part('p1', 1000, win(240, [15, 15])), part('p2', 1000, win(250, [15, 15])), part('p3', 1000, win(260, [15, 15]))]),
];
const summaries = steps.map(summarizeStep);

describe('summarizeStep', () => {
  it('takes medians over participants and over participant × remote pairs, and sums CPU', () => {
    const s = summaries[0];
    expect(s.run).toBe(1);
    expect(s.uploadKbps).toBe(1050);
    expect(s.downloadKbps).toBe(950);
    expect(s.joinP50Ms).toBe(2500);
    expect(s.joinP95Ms).toBe(2950);
    expect(s.fpsPerRemote).toBe(14.5);
    expect(s.fpsPerRemoteMin).toBe(14);
    expect(s.rttMs).toBe(2);
    expect(s.browserCpuPct).toBe(45);
    expect(s.browserCpuTotalPct).toBe(90);
    expect(s.freezes).toBe(0);
    expect(s.qualityLimitation).toEqual({ none: 2 });
    expect([s.settled, s.settleSeconds, s.perCopyKbps, s.highKbps]).toEqual([null, null, null, null]);
    expect(summaries[2].fpsPerRemote).toBe(12);
    expect(summaries[2].uploadKbps).toBe(2100);
  });

  it('reports freezes as unknown when any remote lacks them, total CPU as unknown when a browser lacks it', () => {
    const w = win(100, [15]);
    w.remotes[0].freezes = null;
    const s = summarizeStep(step(2, 'mesh', [part('a', 1, w), part('b', 1, win(100, [15], { cpuPct: null }))]));
    expect(s.freezes).toBeNull();
    expect(s.browserCpuTotalPct).toBeNaN();
  });

  it('carries the run, the settle outcome and the median layer rates', () => {
    const s = summarizeStep(
      step(3, 'sfu', [part('a', 1, win(900, [15]), sfuLayers(700, 100)), part('b', 1, win(900, [15]), sfuLayers(800, 120, 32)), part('c', 1, win(900, [15]), null)], {
        run: 2,
        settle: settled(14, false),
      }),
    );
    expect([s.run, s.settled, s.settleSeconds]).toEqual([2, false, 14]);
    expect([s.highKbps, s.lowKbps, s.audioKbps, s.perCopyKbps, s.copies]).toEqual([750, 110, 31, null, null]);
  });
});

// Three runs at N=2 and N=3 with layer rates: mesh copies at the SFU's full-layer rate, so the model
// holds at N=2; at N=3 mesh copies are CPU-limited to half the full layer's rate.
function runSteps(): TopologyStep[] {
  const out: TopologyStep[] = [];
  const meshUp = (n: number, perCopy: number) => (n - 1) * (perCopy + 30);
  for (const [run, jitter] of [
    [1, 0],
    [2, 20],
    [3, -20],
  ] as const) {
    const sfuUp = 800 + 100 + 30 + jitter;
    out.push(
      step(2, 'mesh', [part('p1', 2000, win(meshUp(2, 800 + jitter), [15]), meshLayers(1, 800 + jitter)), part('p2', 2000, win(meshUp(2, 800 + jitter), [15]), meshLayers(1, 800 + jitter))], {
        run,
        settle: settled(12),
      }),
      step(2, 'sfu', [part('p1', 2500, win(sfuUp, [15]), sfuLayers(800 + jitter, 100)), part('p2', 2500, win(sfuUp, [15]), sfuLayers(800 + jitter, 100))], {
        run,
        settle: settled(20 + run),
      }),
      step(3, 'mesh', [0, 1, 2].map((i) => part(`p${i}`, 3000, win(meshUp(3, 400), [12, 12]), meshLayers(2, 400))), {
        run,
        settle: settled(60, run !== 3),
        participants: [0, 1, 2].map((i) => part(`p${i}`, 3000, win(meshUp(3, 400), [12 + jitter / 100, 12], { qualityLimitation: { cpu: 2 } }), meshLayers(2, 400))),
      }),
      step(3, 'sfu', [0, 1, 2].map((i) => part(`p${i}`, 3000, win(sfuUp, [15, 15]), sfuLayers(800 + jitter, 100))), { run, settle: settled(15) }),
    );
  }
  return out;
}

describe('repeated runs', () => {
  const rs = runSteps().map(summarizeStep);

  it('aggregates each (N, mode) over its runs as median with min–max, counting cap hits', () => {
    const aggs = aggregateRuns(rs);
    expect(aggs.map((a) => `${a.n}-${a.mode}`)).toEqual(['2-mesh', '2-sfu', '3-mesh', '3-sfu']);
    const sfu2 = aggs[1];
    expect(sfu2.runs).toBe(3);
    expect([sfu2.upload.median, sfu2.upload.min, sfu2.upload.max]).toEqual([930, 910, 950]);
    expect(sfu2.settleSeconds.median).toBe(22);
    expect(aggs[2].capHits).toBe(1);
    expect(aggs[2].qualityLimitation).toEqual({ cpu: 18 });
    const rows = tableRows(aggs);
    expect(rows[1]).toEqual(['2', 'sfu', '3', '930 (910–950)', '15.0', '2500', '1.0', '-', '40', '80', '-', '-', '1', '0', '22 (21–23)']);
    expect(rows[2][14]).toBe('60 (cap 1/3)');
    expect(formatTable(aggs).split('\n')).toHaveLength(5);
  });

  it('computes the ratio per run side by side, then summarizes it against the model', () => {
    const [r2, r3] = ratioRows(rs);
    expect(r2.runs.map((r) => r.run)).toEqual([1, 2, 3]);
    // Run 1 at N=2: mesh 830, SFU 930 → 0.892; the model (800+30)/(800+100+30) = 0.892.
    expect(r2.runs[0].ratio).toBeCloseTo(830 / 930, 10);
    expect(r2.runs[0].expected).toBeCloseTo(830 / 930, 10);
    expect(r2.within).toBe(true);
    expect(r2.reasons).toEqual([]);
    expect(r2.naive).toBe(1);
    // N=3: mesh 2·(400+30) = 860 against SFU 930; the model expects 2·830/930 = 1.785.
    expect(r3.measured.median).toBeCloseTo(860 / 930, 10);
    expect(r3.expected.median).toBeCloseTo(1660 / 930, 10);
    expect(r3.within).toBe(false);
    expect(r3.deviation).toBeCloseTo(860 / 1660 - 1, 10);
    expect(r3.reasons[0]).toBe("mesh copies ran at 400 kbps each against the SFU's full layer at 800 kbps (×0.50; the model assumes ×1); mesh encoders reported cpu-limited on 18 of 18 layers; mesh fps per remote 12.0");
    expect(r3.reasons[1]).toBe('upload had not settled when 1 of 6 windows started (the wait\'s cap ran out)');
    expect(r3.reasons).toHaveLength(2);
  });

  it('prints the ratio table and lines with the verdict and its reasons', () => {
    const ratios = ratioRows(rs);
    const rows = ratioTableRows(ratios);
    expect(rows[0]).toEqual(['2', '830 (810–850)', '930 (910–950)', '0.89', '0.89', '1', 'yes (+0 %)', '800 (780–820)', '800 (780–820)', '100', '30']);
    expect(rows[1][6]).toBe('no (-48 %)');
    const lines = ratioLines(ratios);
    expect(lines[0]).toBe('N=2: measured ×0.89 (runs ×0.89, ×0.89, ×0.89), expected ×0.89 (N−1 = 1): within ±10 % (+0 %)');
    expect(lines[1]).toContain('outside ±10 % (-48 %). Why: mesh copies ran at 400 kbps');
  });

  it('finds the knee on the runs\' medians and says by which rule', () => {
    const aggs = aggregateRuns(rs);
    const mesh = kneeOf(aggs, 'mesh', 0.9, rs);
    expect(mesh.rule).toBe('smallest N where mesh fps per remote (median over runs) < 90 % of its N=2 median');
    expect([mesh.baselineN, mesh.baselineFps, mesh.n, mesh.runsBelow, mesh.otherFpsAtKnee]).toEqual([2, 15, 3, 3, 15]);
    expect(mesh.thresholdFps).toBeCloseTo(13.5, 10);
    expect(formatKnee(mesh, 3)).toBe(
      'mesh knee (smallest N where mesh fps per remote (median over runs) < 90 % of its N=2 median; threshold 13.5 fps): N=3 at 12.0 (11.9–12.1) fps, 3 of 3 runs below; the other mode at N=3: 15.0 fps per remote',
    );
    const sfu = kneeOf(aggs, 'sfu', 0.9, rs);
    expect(sfu.n).toBeNull();
    expect(formatKnee(sfu, 3)).toBe('SFU knee (smallest N where SFU fps per remote (median over runs) < 90 % of its N=2 median; threshold 13.5 fps): none up to N=3');
  });
});

describe('the cost model', () => {
  it('expects (N−1)·(b_full + a) / (b_full + b_low + a), not N−1', () => {
    expect(expectedRatio(4, { highKbps: 800, lowKbps: 200, audioKbps: 0 })).toBeCloseTo(2.4, 10);
    expect(expectedRatio(2, { highKbps: 800, lowKbps: 100, audioKbps: 30 })).toBeCloseTo(830 / 930, 10);
    expect(expectedRatio(3, { highKbps: 800, lowKbps: 100, audioKbps: null })).toBeCloseTo(1600 / 900, 10);
    expect(expectedRatio(3, { highKbps: null, lowKbps: 100, audioKbps: 30 })).toBeNaN();
  });

  it('accounts the measured mesh streams (per-copy video and audio) over the SFU layers', () => {
    expect(accountedRatio(3, { perCopyKbps: 400, audioKbps: 60, copies: 2 }, { highKbps: 800, lowKbps: 100, audioKbps: 30 })).toBeCloseTo(860 / 930, 10);
    // Copies unknown: N−1 of them.
    expect(accountedRatio(3, { perCopyKbps: 400, audioKbps: 60, copies: null }, { highKbps: 800, lowKbps: 100, audioKbps: 30 })).toBeCloseTo(860 / 930, 10);
    expect(accountedRatio(3, { perCopyKbps: null, audioKbps: 60, copies: 2 }, { highKbps: 800, lowKbps: 100, audioKbps: 30 })).toBeNaN();
  });

  it('says the model has no input when the SFU sent only its low layer', () => {
    const s = [
      step(2, 'mesh', [part('a', 1, win(500, [15]), meshLayers(1, 470))]),
      step(2, 'sfu', [part('a', 1, win(180, [15]), sfuLayers(0, 150))].map((p) => ({ ...p, layers: { ...p.layers!, highKbps: null } }))),
    ].map(summarizeStep);
    const [r] = ratioRows(s);
    expect(r.within).toBe(false);
    expect(r.reasons).toEqual(['the SFU sent a single simulcast layer (no full layer measured), so the model has no full-layer rate to compare with']);
  });

  it('says so when the SFU full layer was switched off, with the encoders\' reason and the fall of the upload', () => {
    // As recorded at N=2 (2026-11-23): full layer 0 kbps, low layer ~48, SFU upload falling from ~250 to ~70 kbps.
    const rates = [[250, 260, 240, 250, 250, 70, 72, 70, 68, 70]];
    const s = [
      step(2, 'mesh', [part('a', 1, win(640, [15]), meshLayers(1, 614, 25))], { settle: { ...settled(30), rates: [[600, 640, 640, 640, 640, 640, 640, 640, 640, 640]] } }),
      step(2, 'sfu', [part('a', 1, win(73, [13], { qualityLimitation: { bandwidth: 2 } }), sfuLayers(0, 48, 25))], { settle: { ...settled(60, false), rates } }),
    ].map(summarizeStep);
    expect([s[1].settleStartKbps, s[1].settleEndKbps]).toEqual([250, 70]);
    const [r] = ratioRows(s);
    expect(r.within).toBe(false);
    expect(r.reasons[0]).toBe(
      "the SFU participants' full layer was mostly off (0 kbps, against 48 kbps for the low layer), so they uploaded little more than the low layer and audio; " +
        'SFU encoders reported bandwidth-limited on 2 of 2 layers; their upload fell from 250 kbps just after joining to 70 kbps (the send-side bandwidth estimate backing off); ' +
        "the model assumes mesh copies at the full layer's rate, and mesh copies ran at 614 kbps",
    );
    expect(r.reasons).toContain("upload had not settled when 1 of 2 windows started (the wait's cap ran out)");
  });

  it('names the rule in words', () => {
    expect(kneeRule('sfu', 2, 0.8)).toBe('smallest N where SFU fps per remote (median over runs) < 80 % of its N=2 median');
  });
});

describe('report and charts', () => {
  const rs = runSteps().map(summarizeStep);

  it('writes a Markdown report with the settle rule, both tables, the model, the knees and chart links', () => {
    const md = markdownReport(rs, {
      startedAt: 'T',
      url: 'http://127.0.0.1:1',
      seconds: 10,
      video: '640x360@15',
      cpus: 2,
      maxN: 3,
      runs: 3,
      settleRule: 'upload settled when …',
      command: 'topology --runs 3',
      loadavg: [1, 2.5],
    });
    expect(md).toContain('(`topology --runs 3`); 3 run(s) per (N, mode)');
    expect(md).toContain('(1-min load average 1.0–2.5 during the run).');
    expect(md).toContain('Settle rule: upload settled when …;');
    expect(md).toContain('| N | mode | runs | upload kbps/p |');
    expect(md).toContain('| N | mesh kbps/p | SFU kbps/p | mesh/SFU measured | expected (model) | N-1 | within ±10 % |');
    expect(md).toContain('expected = (N−1)·(b_full + a) / (b_full + b_low + a)');
    expect(md).toContain('- mesh knee (smallest N where mesh fps per remote');
    expect(md).toContain('## Quality limitation reported by the encoders');
    for (const svg of ['upload-vs-n.svg', 'ratio-vs-n.svg', 'fps-vs-n.svg', 'cpu-vs-n.svg']) expect(md).toContain(`](${svg})`);
  });

  it('draws the charts with min–max bars and the model lines', () => {
    const aggs = aggregateRuns(rs);
    const { uploadSvg, ratioSvg, fpsSvg, cpuSvg } = charts(aggs, ratioRows(rs));
    for (const svg of [uploadSvg, ratioSvg, fpsSvg, cpuSvg]) expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(uploadSvg).toContain('mesh, model');
    expect(ratioSvg).toContain('model (layers)');
    expect(ratioSvg).toContain('N-1');
  });

  it('lineChart: nice axis, escaped text, error bars with caps that widen the axis', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(2100)).toBe(2500);
    expect(niceCeil(250)).toBe(250);
    expect(lineChart({ title: 'a<b', xLabel: 'x', yLabel: 'y', series: [] })).toContain('a&lt;b');
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', color: '#000', points: [{ x: 2, y: 100, lo: 80, hi: 240 }, { x: 3, y: 200 }] }],
    });
    // y axis up to 250 (the bar's top, not the points' 200): 276 px from y=312.
    expect(svg).toContain('<path d="M64 201.6 L490 91.2" fill="none" stroke="#000"');
    expect(svg).toContain('<line x1="64" y1="223.7" x2="64" y2="47" stroke="#000" stroke-width="1.5"/>');
    expect(svg).toContain('<line x1="60" y1="47" x2="68" y2="47" stroke="#000" stroke-width="1.5"/>');
  });
});
