// The topology benchmark's results: one record per (N, mode) step, its per-step summary, the
// mesh/SFU upload ratio against the N-1 expectation, the fps knee, and the human table. Pure.
import type { ParticipantWindow } from '../measure/window-metrics';
import { findKnee, median, summarize } from '../measure/stats-math';

export type Mode = 'mesh' | 'sfu';

export interface StepParticipant {
  name: string;
  status: string;
  errorCode: string | null;
  /** Navigation → first decoded remote frame, ms; null if none arrived. */
  joinMs: number | null;
  window: ParticipantWindow | null;
}

export interface TopologyStep {
  n: number;
  mode: Mode;
  /** Every participant decoded every other before the measured window. */
  complete: boolean;
  participants: StepParticipant[];
  /** Server process tree CPU (Node + mediasoup workers + coturn), % of one core; null if not ours. */
  serverCpuPct: number | null;
  /** SFU egress from /metrics over the window, kbps; null when unavailable. */
  sfuEgressKbps: number | null;
  /** 1-minute load average after the window: other work on the machine skews fps and CPU. */
  loadavg1?: number;
}

export interface StepSummary {
  n: number;
  mode: Mode;
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
  browserCpuPct: number;
  activeEncoders: number;
  freezes: number | null;
  qualityLimitation: Record<string, number>;
  serverCpuPct: number | null;
  sfuEgressKbps: number | null;
}

const finite = (vs: (number | null | undefined)[]) => vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

export function summarizeStep(step: TopologyStep): StepSummary {
  const ws = step.participants.map((p) => p.window).filter((w): w is ParticipantWindow => w !== null);
  const join = summarize(finite(step.participants.map((p) => p.joinMs)));
  const remotes = ws.flatMap((w) => w.remotes);
  const fps = finite(remotes.map((r) => r.fps));
  const freezeCounts = remotes.map((r) => r.freezes);
  const quality: Record<string, number> = {};
  for (const w of ws) for (const [k, v] of Object.entries(w.qualityLimitation)) quality[k] = (quality[k] ?? 0) + v;
  return {
    n: step.n,
    mode: step.mode,
    complete: step.complete,
    uploadKbps: median(ws.map((w) => w.uploadKbps)),
    downloadKbps: median(ws.map((w) => w.downloadKbps)),
    joinP50Ms: join.p50,
    joinP95Ms: join.p95,
    fpsPerRemote: median(fps),
    fpsPerRemoteMin: fps.length ? Math.min(...fps) : NaN,
    rttMs: median(finite(ws.map((w) => w.rttMs))),
    pingMs: median(finite(ws.map((w) => w.pingMs))),
    browserCpuPct: median(finite(ws.map((w) => w.cpuPct))),
    activeEncoders: median(ws.map((w) => w.activeEncoders)),
    freezes: freezeCounts.some((f) => f === null) || freezeCounts.length === 0 ? null : finite(freezeCounts).reduce((a, b) => a + b, 0),
    qualityLimitation: quality,
    serverCpuPct: step.serverCpuPct,
    sfuEgressKbps: step.sfuEgressKbps,
  };
}

export interface UploadRatio {
  n: number;
  meshKbps: number;
  sfuKbps: number;
  /** mesh / SFU median upload per participant; NaN when either is missing or SFU is 0. */
  ratio: number;
  /**
   * ratio ÷ the ratio at the smallest N, × (that N − 1). Mesh sends one uncapped stream per peer
   * while the SFU sends capped simulcast layers, so the raw ratio at N=2 is an encoder ratio, not 1;
   * the normalized ratio is what should track N − 1.
   */
  normalized: number;
  expected: number;
}

/** Per N present in both modes: how many times more a mesh participant uploads than an SFU one. */
export function uploadRatios(summaries: readonly StepSummary[]): UploadRatio[] {
  const ns = [...new Set(summaries.map((s) => s.n))].sort((a, b) => a - b);
  const out: UploadRatio[] = [];
  for (const n of ns) {
    const mesh = summaries.find((s) => s.n === n && s.mode === 'mesh');
    const sfu = summaries.find((s) => s.n === n && s.mode === 'sfu');
    if (!mesh || !sfu) continue;
    const ratio = sfu.uploadKbps > 0 ? mesh.uploadKbps / sfu.uploadKbps : NaN;
    out.push({ n, meshKbps: mesh.uploadKbps, sfuKbps: sfu.uploadKbps, ratio, normalized: NaN, expected: n - 1 });
  }
  const first = out[0];
  for (const r of out) r.normalized = first && first.ratio > 0 ? (r.ratio / first.ratio) * (first.n - 1) : NaN;
  return out;
}

export interface Knee {
  mode: Mode;
  /** fps per remote at the smallest N measured (N=2 in a default run). */
  baselineFps: number;
  thresholdFps: number;
  /** Smallest N whose median fps per remote is below the threshold; null: none up to the max. */
  n: number | null;
  /** The other mode's median fps per remote at that N (null when not measured or no knee). */
  otherFpsAtKnee: number | null;
}

/** The knee of `mode`: first N where fps per remote < fraction × its fps at the smallest N. */
export function kneeOf(summaries: readonly StepSummary[], mode: Mode, fraction = 0.9): Knee {
  const own = summaries.filter((s) => s.mode === mode && Number.isFinite(s.fpsPerRemote)).sort((a, b) => a.n - b.n);
  const baselineFps = own[0]?.fpsPerRemote ?? NaN;
  const thresholdFps = baselineFps * fraction;
  const n = own.length ? findKnee(own.map((s) => ({ n: s.n, value: s.fpsPerRemote })), thresholdFps) : null;
  const other = n === null ? undefined : summaries.find((s) => s.n === n && s.mode !== mode);
  return { mode, baselineFps, thresholdFps, n, otherFpsAtKnee: other ? other.fpsPerRemote : null };
}

const f = (v: number | null, digits = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(digits));

export const TABLE_HEADER = ['N', 'mode', 'up kbps/p', 'up mesh/SFU', 'normalized', 'expected', 'join p50/p95 ms', 'fps/remote', 'browser CPU %', 'server CPU %', 'SFU egress kbps', 'encoders', 'pair RTT ms', 'ping ms', 'freezes'];

export function tableRows(summaries: readonly StepSummary[]): string[][] {
  const ratios = new Map(uploadRatios(summaries).map((r) => [r.n, r]));
  return [...summaries]
    .sort((a, b) => a.n - b.n || a.mode.localeCompare(b.mode))
    .map((s) => {
      const r = ratios.get(s.n);
      return [
        String(s.n),
        s.complete ? s.mode : `${s.mode}*`,
        f(s.uploadKbps),
        s.mode === 'mesh' && r ? f(r.ratio, 2) : '',
        s.mode === 'mesh' && r ? f(r.normalized, 2) : '',
        s.mode === 'mesh' && r ? String(r.expected) : '',
        `${f(s.joinP50Ms)}/${f(s.joinP95Ms)}`,
        f(s.fpsPerRemote, 1),
        f(s.browserCpuPct),
        f(s.serverCpuPct),
        f(s.sfuEgressKbps),
        f(s.activeEncoders),
        f(s.rttMs, 1),
        f(s.pingMs, 1),
        f(s.freezes),
      ];
    });
}

/** Fixed-width console table. */
export function formatTable(summaries: readonly StepSummary[]): string {
  const rows = [TABLE_HEADER, ...tableRows(summaries)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padStart(widths[i])).join('  ')).join('\n');
}

export function formatKnee(k: Knee, maxN: number): string {
  const base = `${k.mode} fps/remote at the smallest N: ${f(k.baselineFps, 1)} (threshold ${f(k.thresholdFps, 1)})`;
  if (k.n === null) return `${base}; no knee up to N=${maxN}`;
  return `${base}; knee at N=${k.n}` + (k.otherFpsAtKnee === null ? '' : ` (the other mode at N=${k.n}: ${f(k.otherFpsAtKnee, 1)} fps/remote)`);
}

export function markdownTable(summaries: readonly StepSummary[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(TABLE_HEADER), line(TABLE_HEADER.map(() => '---')), ...tableRows(summaries).map(line)].join('\n');
}
