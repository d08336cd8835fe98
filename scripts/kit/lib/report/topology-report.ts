// The topology benchmark's results: one record per (N, mode, run) step, its per-step summary, the
// summaries of repeated runs as medians with their spread, the mesh/SFU upload ratio computed per
// run and held against the cost model (simulcast layers included, from the measured layer rates),
// the fps knee with the rule that found it, and the human tables. Pure.
import type { LayerRates } from '../measure/layer-rates';
import type { SettleRule } from '../measure/settle';
import { formatSpread, relativeRange, spreadOf, type Spread } from '../measure/spread';
import { median, summarize } from '../measure/stats-math';
import type { ParticipantWindow } from '../measure/window-metrics';

export type Mode = 'mesh' | 'sfu';

export interface StepParticipant {
  name: string;
  status: string;
  errorCode: string | null;
  /** Navigation → first decoded remote frame, ms; null if none arrived. */
  joinMs: number | null;
  window: ParticipantWindow | null;
  /** What the upload was made of over the window (audio, each video encoding); null without samples. */
  layers?: LayerRates | null;
  /** The browser's send-side bandwidth estimate per sending connection over the window, kbps (layer-rates.ts). */
  outgoingEstimateKbps?: number | null;
  /** The window's samples, upload side only (rates and layers), so the layer maths can be re-run. */
  uploadTrace?: UploadTracePoint[];
}

export interface UploadTracePoint {
  timestamp: number;
  upload: { totalKbps: number | null; audioKbps: number | null; videoKbps: number | null };
  layers: { connectionId: string; peerId: string | null; rid: string | null; kbps: number | null; width: number | null; height: number | null; qualityLimitationReason: string | null; source?: string }[];
}

/** How the wait for a steady upload ended (lib/measure/settle.ts). */
export interface SettleOutcome {
  rule: SettleRule;
  /** Every participant met the rule; false: the cap ran out first and the window was measured anyway. */
  settled: boolean;
  /** From everyone decoding everyone to the start of the window. */
  seconds: number;
  capSeconds: number;
  /** Each participant's 1-s upload rates seen while waiting (kbps, oldest first), for the record. */
  rates?: (number | null)[][];
}

export interface TopologyStep {
  n: number;
  mode: Mode;
  /** 1-based repetition of this (N, mode); absent in single-run reports. */
  run?: number;
  /** Every participant decoded every other before the measured window. */
  complete: boolean;
  participants: StepParticipant[];
  /** Server process tree CPU (Node + mediasoup workers + coturn), % of one core; null if not ours. */
  serverCpuPct: number | null;
  /** SFU egress from /metrics over the window, kbps; null when unavailable. */
  sfuEgressKbps: number | null;
  /** 1-minute load average after the window: other work on the machine skews fps and CPU. */
  loadavg1?: number;
  settle?: SettleOutcome | null;
}

export interface StepSummary {
  n: number;
  mode: Mode;
  run: number;
  complete: boolean;
  uploadKbps: number;
  downloadKbps: number;
  joinP50Ms: number;
  joinP95Ms: number;
  /** Median / minimum over every (participant, remote peer) pair of decoded fps. */
  fpsPerRemote: number;
  fpsPerRemoteMin: number;
  rttMs: number;
  /** Median peer-to-peer ping RTT (data channel over the call's path). */
  pingMs: number;
  /** One participant's browser process tree, % of one core: median over participants. */
  browserCpuPct: number;
  /** Every participant's browser together, % of one core (the machine has cores × 100). */
  browserCpuTotalPct: number;
  activeEncoders: number;
  freezes: number | null;
  qualityLimitation: Record<string, number>;
  serverCpuPct: number | null;
  sfuEgressKbps: number | null;
  /** Medians over participants of their layer rates (null where no participant has one). */
  audioKbps: number | null;
  perCopyKbps: number | null;
  copies: number | null;
  lowKbps: number | null;
  highKbps: number | null;
  /** Median over participants of their send-side bandwidth estimate per connection, kbps. */
  outgoingEstimateKbps: number | null;
  /**
   * Median over participants of the mean of their first / last k upload rates seen while waiting
   * to settle (k of the rule): where the upload started after the join and where it ended up.
   */
  settleStartKbps: number | null;
  settleEndKbps: number | null;
  /** Null when the step did not wait for a steady upload. */
  settled: boolean | null;
  settleSeconds: number | null;
  loadavg1: number | null;
}

const finite = (vs: (number | null | undefined)[]) => vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
const medianOrNull = (vs: (number | null | undefined)[]) => {
  const f = finite(vs);
  return f.length ? median(f) : null;
};

const meanOf = (vs: number[]) => (vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null);

export function summarizeStep(step: TopologyStep): StepSummary {
  const ws = step.participants.map((p) => p.window).filter((w): w is ParticipantWindow => w !== null);
  const ls = step.participants.map((p) => p.layers ?? null).filter((l): l is LayerRates => l !== null);
  const join = summarize(finite(step.participants.map((p) => p.joinMs)));
  const remotes = ws.flatMap((w) => w.remotes);
  const fps = finite(remotes.map((r) => r.fps));
  const freezeCounts = remotes.map((r) => r.freezes);
  const quality: Record<string, number> = {};
  for (const w of ws) for (const [k, v] of Object.entries(w.qualityLimitation)) quality[k] = (quality[k] ?? 0) + v;
  const cpus = finite(ws.map((w) => w.cpuPct));
  return {
    n: step.n,
    mode: step.mode,
    run: step.run ?? 1,
    complete: step.complete,
    uploadKbps: median(ws.map((w) => w.uploadKbps)),
    downloadKbps: median(ws.map((w) => w.downloadKbps)),
    joinP50Ms: join.p50,
    joinP95Ms: join.p95,
    fpsPerRemote: median(fps),
    fpsPerRemoteMin: fps.length ? Math.min(...fps) : NaN,
    rttMs: median(finite(ws.map((w) => w.rttMs))),
    pingMs: median(finite(ws.map((w) => w.pingMs))),
    browserCpuPct: median(cpus),
    browserCpuTotalPct: cpus.length === step.participants.length && cpus.length > 0 ? cpus.reduce((a, b) => a + b, 0) : NaN,
    activeEncoders: median(ws.map((w) => w.activeEncoders)),
    freezes: freezeCounts.some((f) => f === null) || freezeCounts.length === 0 ? null : finite(freezeCounts).reduce((a, b) => a + b, 0),
    qualityLimitation: quality,
    serverCpuPct: step.serverCpuPct,
    sfuEgressKbps: step.sfuEgressKbps,
    audioKbps: medianOrNull(ls.map((l) => l.audioKbps)),
    perCopyKbps: medianOrNull(ls.map((l) => l.perCopyKbps)),
    copies: medianOrNull(ls.map((l) => (l.copies > 0 ? l.copies : null))),
    lowKbps: medianOrNull(ls.map((l) => l.lowKbps)),
    highKbps: medianOrNull(ls.map((l) => l.highKbps)),
    outgoingEstimateKbps: medianOrNull(step.participants.map((p) => p.outgoingEstimateKbps)),
    settleStartKbps: medianOrNull((step.settle?.rates ?? []).map((r) => meanOf(finite(r).slice(0, step.settle!.rule.samples)))),
    settleEndKbps: medianOrNull((step.settle?.rates ?? []).map((r) => meanOf(finite(r).slice(-step.settle!.rule.samples)))),
    settled: step.settle ? step.settle.settled : null,
    settleSeconds: step.settle ? step.settle.seconds : null,
    loadavg1: step.loadavg1 ?? null,
  };
}

// ---- repeated runs: medians with spread ----------------------------------------------------------

export interface StepAggregate {
  n: number;
  mode: Mode;
  runs: number;
  /** Runs in which not everyone decoded everyone before the window. */
  incompleteRuns: number;
  upload: Spread;
  download: Spread;
  /** Of each run's median fps per remote. */
  fps: Spread;
  /** The lowest fps of any (participant, remote) pair in any run. */
  fpsWorst: number;
  joinP50: Spread;
  joinP95: Spread;
  rtt: Spread;
  ping: Spread;
  browserCpu: Spread;
  browserCpuTotal: Spread;
  serverCpu: Spread;
  sfuEgress: Spread;
  encoders: Spread;
  freezes: Spread;
  settleSeconds: Spread;
  /** Runs whose wait for a steady upload ran out (measured anyway). */
  capHits: number;
  qualityLimitation: Record<string, number>;
}

/** One aggregate per (N, mode), over its runs, ordered by N then mode. */
export function aggregateRuns(summaries: readonly StepSummary[]): StepAggregate[] {
  const groups = new Map<string, StepSummary[]>();
  for (const s of summaries) groups.set(`${s.n}|${s.mode}`, [...(groups.get(`${s.n}|${s.mode}`) ?? []), s]);
  return [...groups.values()]
    .map((g) => {
      const quality: Record<string, number> = {};
      for (const s of g) for (const [k, v] of Object.entries(s.qualityLimitation)) quality[k] = (quality[k] ?? 0) + v;
      const worst = finite(g.map((s) => s.fpsPerRemoteMin));
      return {
        n: g[0].n,
        mode: g[0].mode,
        runs: g.length,
        incompleteRuns: g.filter((s) => !s.complete).length,
        upload: spreadOf(g.map((s) => s.uploadKbps)),
        download: spreadOf(g.map((s) => s.downloadKbps)),
        fps: spreadOf(g.map((s) => s.fpsPerRemote)),
        fpsWorst: worst.length ? Math.min(...worst) : NaN,
        joinP50: spreadOf(g.map((s) => s.joinP50Ms)),
        joinP95: spreadOf(g.map((s) => s.joinP95Ms)),
        rtt: spreadOf(g.map((s) => s.rttMs)),
        ping: spreadOf(g.map((s) => s.pingMs)),
        browserCpu: spreadOf(g.map((s) => s.browserCpuPct)),
        browserCpuTotal: spreadOf(g.map((s) => s.browserCpuTotalPct)),
        serverCpu: spreadOf(g.map((s) => s.serverCpuPct)),
        sfuEgress: spreadOf(g.map((s) => s.sfuEgressKbps)),
        encoders: spreadOf(g.map((s) => s.activeEncoders)),
        freezes: spreadOf(g.map((s) => s.freezes)),
        settleSeconds: spreadOf(g.map((s) => s.settleSeconds)),
        capHits: g.filter((s) => s.settled === false).length,
        qualityLimitation: quality,
      };
    })
    .sort((a, b) => a.n - b.n || a.mode.localeCompare(b.mode));
}

// ---- the upload cost model -------------------------------------------------------------------------

/**
 * The cost model's mesh/SFU upload ratio at N. A mesh participant sends N−1 copies, each one video
 * encoding plus one audio stream; an SFU participant sends one simulcast set (a full layer and a
 * quarter-resolution low layer) plus one audio stream. With mesh copies at the SFU's full-layer
 * rate (both are capped alike: app/lib/call/video-encodings.ts), the ratio is
 *   (N−1)·(b_high + a) / (b_high + b_low + a),
 * not N−1: the low layer is part of what the SFU participant uploads. NaN without the rates.
 */
export function expectedRatio(n: number, rates: { highKbps: number | null; lowKbps: number | null; audioKbps: number | null }): number {
  const { highKbps: h, lowKbps: l } = rates;
  const a = rates.audioKbps ?? 0;
  if (h === null || l === null || !(h + l + a > 0)) return NaN;
  return ((n - 1) * (h + a)) / (h + l + a);
}

/**
 * The ratio the measured streams account for: mesh's own per-copy video and audio rates over the
 * SFU's layers, (N−1)·(b_copy + a_copy) / (b_high + b_low + a). Far from the measured ratio: the
 * totals hold something the layers do not (or the other way round).
 */
export function accountedRatio(
  n: number,
  mesh: { perCopyKbps: number | null; audioKbps: number | null; copies: number | null },
  sfu: { highKbps: number | null; lowKbps: number | null; audioKbps: number | null },
): number {
  if (mesh.perCopyKbps === null || sfu.highKbps === null || sfu.lowKbps === null) return NaN;
  const copies = mesh.copies && mesh.copies > 0 ? mesh.copies : n - 1;
  const audioPerCopy = (mesh.audioKbps ?? 0) / copies;
  const den = sfu.highKbps + sfu.lowKbps + (sfu.audioKbps ?? 0);
  return den > 0 ? ((n - 1) * (mesh.perCopyKbps + audioPerCopy)) / den : NaN;
}

export interface RunRatio {
  run: number;
  meshKbps: number;
  sfuKbps: number;
  /** mesh / SFU median upload per participant in this run. */
  ratio: number;
  expected: number;
  accounted: number;
}

export interface RatioRow {
  n: number;
  runs: RunRatio[];
  measured: Spread;
  /** The cost model with the measured layer rates, per run. */
  expected: Spread;
  accounted: Spread;
  /** The naive model: every stream the same bitrate, the SFU one stream. */
  naive: number;
  meshKbps: Spread;
  sfuKbps: Spread;
  perCopyKbps: Spread;
  highKbps: Spread;
  lowKbps: Spread;
  audioKbps: Spread;
  /** measured median ÷ expected median − 1. */
  deviation: number;
  tolerance: number;
  within: boolean;
  /** Why the measured ratio is off the model, from the measurements; empty when within. */
  reasons: string[];
}

const fx = (v: number | null, digits = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/**
 * Per N measured in both modes: the ratio of each run's mesh and SFU steps (run i with run i, taken
 * back to back), summarized over runs, against the cost model.
 */
export function ratioRows(summaries: readonly StepSummary[], tolerance = 0.1): RatioRow[] {
  const ns = [...new Set(summaries.map((s) => s.n))].sort((a, b) => a - b);
  const rows: RatioRow[] = [];
  for (const n of ns) {
    const at = (mode: Mode) => summaries.filter((s) => s.n === n && s.mode === mode);
    const mesh = at('mesh');
    const sfu = at('sfu');
    const runs: RunRatio[] = [];
    for (const m of mesh) {
      const s = sfu.find((x) => x.run === m.run);
      if (!s) continue;
      runs.push({
        run: m.run,
        meshKbps: m.uploadKbps,
        sfuKbps: s.uploadKbps,
        ratio: s.uploadKbps > 0 ? m.uploadKbps / s.uploadKbps : NaN,
        expected: expectedRatio(n, s),
        accounted: accountedRatio(n, m, s),
      });
    }
    if (runs.length === 0) continue;
    const measured = spreadOf(runs.map((r) => r.ratio));
    const expected = spreadOf(runs.map((r) => r.expected));
    const deviation = measured.median / expected.median - 1;
    const row: RatioRow = {
      n,
      runs: runs.sort((a, b) => a.run - b.run),
      measured,
      expected,
      accounted: spreadOf(runs.map((r) => r.accounted)),
      naive: n - 1,
      meshKbps: spreadOf(runs.map((r) => r.meshKbps)),
      sfuKbps: spreadOf(runs.map((r) => r.sfuKbps)),
      perCopyKbps: spreadOf(mesh.map((s) => s.perCopyKbps)),
      highKbps: spreadOf(sfu.map((s) => s.highKbps)),
      lowKbps: spreadOf(sfu.map((s) => s.lowKbps)),
      audioKbps: spreadOf(sfu.map((s) => s.audioKbps)),
      deviation,
      tolerance,
      within: Number.isFinite(deviation) && Math.abs(deviation) <= tolerance + 1e-12,
      reasons: [],
    };
    row.reasons = row.within ? [] : ratioReasons(row, mesh, sfu);
    rows.push(row);
  }
  return rows;
}

/** Reads the measurements for why the measured ratio is not within tolerance of the model. */
export function ratioReasons(row: RatioRow, mesh: readonly StepSummary[], sfu: readonly StepSummary[]): string[] {
  const out: string[] = [];
  const t = row.tolerance;
  const pct = Math.round(t * 100);
  if (!Number.isFinite(row.expected.median)) {
    const high = sfu.some((s) => s.highKbps !== null);
    out.push(high ? 'no layer rates were measured, so the model has no input' : 'the SFU sent a single simulcast layer (no full layer measured), so the model has no full-layer rate to compare with');
    return out;
  }
  const sfuLimitsAll = limitText(sfu);
  const fell = (steps: readonly StepSummary[]) => {
    const a = median(finite(steps.map((s) => s.settleStartKbps)));
    const b = median(finite(steps.map((s) => s.settleEndKbps)));
    return Number.isFinite(a) && Number.isFinite(b) && b < a * (1 - t) ? { a, b } : null;
  };
  const sfuFell = fell(sfu);
  if (!(row.highKbps.median >= row.lowKbps.median)) {
    // The full layer sent less than the thumbnail: the browser had switched it (mostly) off.
    out.push(
      `the SFU participants' full layer was mostly off (${fx(row.highKbps.median)} kbps, against ${fx(row.lowKbps.median)} kbps for the low layer), ` +
        `so they uploaded little more than the low layer and audio` +
        (sfuLimitsAll ? `; SFU encoders reported ${sfuLimitsAll}` : '') +
        (sfuFell ? `; their upload fell from ${fx(sfuFell.a)} kbps just after joining to ${fx(sfuFell.b)} kbps (the send-side bandwidth estimate backing off)` : '') +
        `; the model assumes mesh copies at the full layer's rate, and mesh copies ran at ${fx(row.perCopyKbps.median)} kbps`,
    );
  }
  const copyVsHigh = row.highKbps.median > 0 ? row.perCopyKbps.median / row.highKbps.median : NaN;
  if (row.highKbps.median >= row.lowKbps.median && Number.isFinite(copyVsHigh) && Math.abs(copyVsHigh - 1) > t) {
    const meshLimits = limitText(mesh);
    const sfuLimits = limitText(sfu);
    const fps = median(finite(mesh.map((s) => s.fpsPerRemote)));
    const bwe = (steps: readonly StepSummary[]) => median(finite(steps.map((s) => s.outgoingEstimateKbps)));
    const meshBwe = bwe(mesh);
    const sfuBwe = bwe(sfu);
    out.push(
      `mesh copies ran at ${fx(row.perCopyKbps.median)} kbps each against the SFU's full layer at ${fx(row.highKbps.median)} kbps ` +
        `(×${fx(copyVsHigh, 2)}; the model assumes ×1)` +
        (Number.isFinite(meshBwe) || Number.isFinite(sfuBwe)
          ? `; the browsers' send-side bandwidth estimate was ${fx(meshBwe)} kbps per mesh connection and ${fx(sfuBwe)} kbps on the SFU send transport`
          : '') +
        (meshLimits ? `; mesh encoders reported ${meshLimits}` : '') +
        (sfuLimits ? `; SFU encoders reported ${sfuLimits}` : '') +
        (sfuFell ? `; SFU upload fell from ${fx(sfuFell.a)} kbps just after joining to ${fx(sfuFell.b)} kbps` : '') +
        (copyVsHigh < 1 && Number.isFinite(fps) ? `; mesh fps per remote ${fx(fps, 1)}` : ''),
    );
  }
  const accountedDev = row.measured.median / row.accounted.median - 1;
  if (Number.isFinite(accountedDev) && Math.abs(accountedDev) > t) {
    out.push(`the encodings' own rates account for ×${fx(row.accounted.median, 2)}, ${fx(accountedDev * 100)} % off the measured totals (bytes outside the camera layers and audio)`);
  } else if (out.length === 0 && Number.isFinite(accountedDev)) {
    out.push(`the encodings' own rates account for the measured ratio (×${fx(row.accounted.median, 2)}); the model's inputs differ from run to run`);
  }
  const hits = [...mesh, ...sfu].filter((s) => s.settled === false).length;
  if (hits > 0) out.push(`upload had not settled when ${hits} of ${mesh.length + sfu.length} windows started (the wait's cap ran out)`);
  const rr = relativeRange(row.measured);
  if (Number.isFinite(rr) && rr > 2 * t) out.push(`runs disagree: ×${fx(row.measured.min, 2)}–×${fx(row.measured.max, 2)} (more than ±${pct} % around the median)`);
  return out;
}

function limitText(steps: readonly StepSummary[]): string {
  const q: Record<string, number> = {};
  for (const s of steps) for (const [k, v] of Object.entries(s.qualityLimitation)) if (k !== 'none') q[k] = (q[k] ?? 0) + v;
  const total = steps.reduce((a, s) => a + Object.values(s.qualityLimitation).reduce((x, y) => x + y, 0), 0);
  const parts = Object.entries(q).map(([k, v]) => `${k}-limited on ${v} of ${total} layers`);
  return parts.join(', ');
}

// ---- the knee ---------------------------------------------------------------------------------------

export interface Knee {
  mode: Mode;
  /** The rule, in words, with its numbers. */
  rule: string;
  fraction: number;
  /** The smallest N measured and its median (over runs) fps per remote. */
  baselineN: number | null;
  baselineFps: number;
  thresholdFps: number;
  /** Smallest N whose median (over runs) fps per remote is below the threshold; null: none up to the max. */
  n: number | null;
  /** At the knee: the runs' fps and how many of them were below the threshold. */
  fpsAtKnee: Spread | null;
  runsBelow: number;
  /** The other mode's median fps per remote at that N (null when not measured or no knee). */
  otherFpsAtKnee: number | null;
}

export function kneeRule(mode: Mode, baselineN: number | null, fraction: number): string {
  return `smallest N where ${mode === 'sfu' ? 'SFU' : mode} fps per remote (median over runs) < ${Math.round(fraction * 100)} % of its N=${baselineN ?? '?'} median`;
}

/** The knee of `mode`: first N where its median fps per remote < fraction × the median at the smallest N. */
export function kneeOf(aggregates: readonly StepAggregate[], mode: Mode, fraction = 0.9, summaries: readonly StepSummary[] = []): Knee {
  const own = aggregates.filter((a) => a.mode === mode && Number.isFinite(a.fps.median)).sort((a, b) => a.n - b.n);
  const baselineN = own[0]?.n ?? null;
  const baselineFps = own[0]?.fps.median ?? NaN;
  const thresholdFps = baselineFps * fraction;
  const at = own.find((a) => a.fps.median < thresholdFps);
  const n = at ? at.n : null;
  const other = n === null ? undefined : aggregates.find((a) => a.n === n && a.mode !== mode);
  const runsBelow = n === null ? 0 : summaries.filter((s) => s.n === n && s.mode === mode && s.fpsPerRemote < thresholdFps).length;
  return {
    mode,
    rule: kneeRule(mode, baselineN, fraction),
    fraction,
    baselineN,
    baselineFps,
    thresholdFps,
    n,
    fpsAtKnee: at ? at.fps : null,
    runsBelow,
    otherFpsAtKnee: other ? other.fps.median : null,
  };
}

export function formatKnee(k: Knee, maxN: number): string {
  const name = k.mode === 'sfu' ? 'SFU' : k.mode;
  const base = `${name} knee (${k.rule}; threshold ${fx(k.thresholdFps, 1)} fps)`;
  if (k.n === null) return `${base}: none up to N=${maxN}`;
  const runs = k.fpsAtKnee ? `, ${k.runsBelow} of ${k.fpsAtKnee.n} runs below` : '';
  return (
    `${base}: N=${k.n} at ${k.fpsAtKnee ? formatSpread(k.fpsAtKnee, 1) : '-'} fps${runs}` +
    (k.otherFpsAtKnee === null ? '' : `; the other mode at N=${k.n}: ${fx(k.otherFpsAtKnee, 1)} fps per remote`)
  );
}

// ---- tables ----------------------------------------------------------------------------------------

export const TABLE_HEADER = [
  'N',
  'mode',
  'runs',
  'upload kbps/p',
  'fps/remote',
  'join p50 ms',
  'pair RTT ms',
  'ping ms',
  'CPU %/browser',
  'CPU % all browsers',
  'server CPU %',
  'SFU egress kbps',
  'encoders',
  'freezes',
  'settled after s',
];

/** One row per (N, mode): medians over runs with (min–max). */
export function tableRows(aggregates: readonly StepAggregate[]): string[][] {
  return aggregates.map((a) => [
    String(a.n),
    a.incompleteRuns > 0 ? `${a.mode}*` : a.mode,
    String(a.runs),
    formatSpread(a.upload),
    formatSpread(a.fps, 1),
    formatSpread(a.joinP50),
    formatSpread(a.rtt, 1),
    formatSpread(a.ping, 1),
    formatSpread(a.browserCpu),
    formatSpread(a.browserCpuTotal),
    formatSpread(a.serverCpu),
    a.mode === 'sfu' ? formatSpread(a.sfuEgress) : '',
    formatSpread(a.encoders),
    formatSpread(a.freezes),
    formatSpread(a.settleSeconds) + (a.capHits > 0 ? ` (cap ${a.capHits}/${a.runs})` : ''),
  ]);
}

export const RATIO_HEADER = ['N', 'mesh kbps/p', 'SFU kbps/p', 'mesh/SFU measured', 'expected (model)', 'N-1', 'within ±10 %', 'mesh copy kbps', 'SFU full layer kbps', 'SFU low layer kbps', 'audio kbps'];

export function ratioTableRows(rows: readonly RatioRow[]): string[][] {
  return rows.map((r) => [
    String(r.n),
    formatSpread(r.meshKbps),
    formatSpread(r.sfuKbps),
    formatSpread(r.measured, 2),
    formatSpread(r.expected, 2),
    String(r.naive),
    Number.isFinite(r.deviation) ? `${r.within ? 'yes' : 'no'} (${r.deviation >= 0 ? '+' : ''}${fx(r.deviation * 100)} %)` : '-',
    formatSpread(r.perCopyKbps),
    formatSpread(r.highKbps),
    formatSpread(r.lowKbps),
    formatSpread(r.audioKbps),
  ]);
}

export function ratioHeader(tolerance: number): string[] {
  return RATIO_HEADER.map((h) => (h === 'within ±10 %' ? `within ±${Math.round(tolerance * 100)} %` : h));
}

/** Fixed-width console table. */
export function formatFixed(header: readonly string[], rows: readonly string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (c ?? '').padStart(widths[i])).join('  ')).join('\n');
}

export function markdownRows(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatTable(aggregates: readonly StepAggregate[]): string {
  return formatFixed(TABLE_HEADER, tableRows(aggregates));
}

export function markdownTable(aggregates: readonly StepAggregate[]): string {
  return markdownRows(TABLE_HEADER, tableRows(aggregates));
}
