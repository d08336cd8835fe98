// The synthetic topology benchmark's maths (SYNTHETIC: RTP-level senders, no browsers): one record
// per (N, mode, run) step, its summary, medians with spread over runs, the mesh/SFU upload ratio per
// run against the cost model from the rates actually sent, and the knee with its rule. Pure.
import { spreadOf, type Spread } from '../measure/spread';
import type { PeerSnapshot } from '../rtp/synthetic-peer';
import { median } from '../measure/stats-math';
import { expectedRatio, type Mode } from './topology-report';

export interface SyntheticParticipant {
  /** Everything its sockets sent over the window (RTP + RTCP), kbit/s. */
  uploadKbps: number;
  /** RTCP sender reports alone (protocol overhead, in uploadKbps too). */
  rtcpKbps: number;
  /** Per stream kind, RTP on the wire, per copy (mesh: total ÷ copies); low is null in mesh. */
  audioKbps: number;
  lowKbps: number | null;
  fullKbps: number;
  copies: number;
  /** RTP its sink socket received, kbit/s. */
  downloadKbps: number;
  /** Its process's CPU over the window, % of one core. */
  cpuPct: number;
  /** Frames the schedule asked for in the window that were dropped (the process fell behind), %. */
  shortfallPct: number;
  /** Mean delay of a frame behind its schedule, ms. */
  meanLateMs: number;
  /** Packets its sink should have received in the window (what was sent to it) and did. */
  expectedPackets: number;
  receivedPackets: number;
}

/** Bytes of the streams labelled `label` over every output, from a to b. */
function streamBytes(a: PeerSnapshot, b: PeerSnapshot, label: string): number {
  let total = 0;
  b.outputs.forEach((o, i) => {
    for (const [k, s] of o.streams.entries()) if (s.label === label) total += s.bytes - (a.outputs[i]?.streams[k]?.bytes ?? 0);
  });
  return total;
}

/** Packets sent to `port` (one output of this participant's) from a to b; 0 when it has none. */
export function packetsTo(a: PeerSnapshot, b: PeerSnapshot, port: number, labels?: readonly string[]): number {
  const i = b.outputs.findIndex((o) => o.port === port);
  if (i < 0) return 0;
  return b.outputs[i].streams.reduce((acc, s, k) => (labels && !labels.includes(s.label) ? acc : acc + s.packets - (a.outputs[i]?.streams[k]?.packets ?? 0)), 0);
}

/**
 * One participant's window: `start` when it began, `paused` when its sending stopped (upload, CPU,
 * schedule), `drained` a moment after every sender stopped (what its sink received of what was
 * sent). `lastPauseMs`: when the last sender stopped (the senders stop one after the other, and
 * its sink received until then), the end of its download window.
 */
export function participantFigures(start: PeerSnapshot, paused: PeerSnapshot, drained: PeerSnapshot, expectedPackets: number, lastPauseMs = paused.t): SyntheticParticipant {
  const ms = Math.max(1, paused.t - start.t);
  const receiveMs = Math.max(1, lastPauseMs - start.t);
  const kbps = (bytes: number) => (bytes * 8) / ms;
  const rtcp = paused.outputs.reduce((acc, o, i) => acc + o.rtcpBytes - (start.outputs[i]?.rtcpBytes ?? 0), 0);
  const rtp = paused.outputs.reduce((acc, o, i) => acc + o.streams.reduce((x, s, k) => x + s.bytes - (start.outputs[i]?.streams[k]?.bytes ?? 0), 0), 0);
  const copies = Math.max(1, paused.outputs.length);
  const hasLow = paused.outputs.some((o) => o.streams.some((s) => s.label === 'low'));
  const due = paused.framesDue - start.framesDue;
  const lateFrames = paused.lateFrames - start.lateFrames;
  return {
    uploadKbps: kbps(rtp + rtcp),
    rtcpKbps: kbps(rtcp),
    audioKbps: kbps(streamBytes(start, paused, 'audio')) / copies,
    lowKbps: hasLow ? kbps(streamBytes(start, paused, 'low')) / copies : null,
    fullKbps: kbps(streamBytes(start, paused, 'full')) / copies,
    copies,
    downloadKbps: ((drained.received.bytes - start.received.bytes) * 8) / receiveMs,
    cpuPct: (100 * (paused.cpuMs - start.cpuMs)) / ms,
    shortfallPct: due > 0 ? (100 * (paused.framesSkipped - start.framesSkipped)) / due : 0,
    meanLateMs: lateFrames > 0 ? (paused.lateMsSum - start.lateMsSum) / lateFrames : 0,
    expectedPackets,
    receivedPackets: drained.received.packets - start.received.packets,
  };
}

export interface SyntheticStep {
  n: number;
  mode: Mode;
  run: number;
  seconds: number;
  participants: SyntheticParticipant[];
  /** SFU only: the mediasoup worker's CPU, % of one core. */
  workerCpuPct: number | null;
  /** SFU only: what the sinks received, and what mediasoup's receive transports sent (bytesSent). */
  sfuEgressKbps: number | null;
  sfuEgressMediasoupKbps: number | null;
  /** SFU only: what mediasoup's send transports received (bytesReceived). */
  sfuIngressMediasoupKbps: number | null;
  /** SFU only: video consumers on the full layer at the end of the window, of all video consumers. */
  fullLayerConsumers: { onFull: number; video: number } | null;
  loadavg1: number;
}

export interface SyntheticSummary {
  n: number;
  mode: Mode;
  run: number;
  uploadKbps: number;
  downloadKbps: number;
  cpuPct: number;
  cpuTotalPct: number;
  rtcpKbps: number;
  audioKbps: number;
  lowKbps: number | null;
  fullKbps: number;
  /** Loss at the sinks over every participant, %. */
  lossPct: number;
  /** The worst participant's schedule shortfall, %. */
  shortfallPct: number;
  meanLateMs: number;
  workerCpuPct: number | null;
  sfuEgressKbps: number | null;
  sfuEgressMediasoupKbps: number | null;
  loadavg1: number;
}

const sum = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
const medianOf = (ps: SyntheticParticipant[], pick: (p: SyntheticParticipant) => number) => median(ps.map(pick));

/** Per step: medians over participants (CPU also summed), loss over all sinks, the worst shortfall. */
export function summarizeSynthetic(step: SyntheticStep): SyntheticSummary {
  const ps = step.participants;
  const expected = sum(ps.map((p) => p.expectedPackets));
  const lows = ps.map((p) => p.lowKbps).filter((v): v is number => v !== null);
  return {
    n: step.n,
    mode: step.mode,
    run: step.run,
    uploadKbps: medianOf(ps, (p) => p.uploadKbps),
    downloadKbps: medianOf(ps, (p) => p.downloadKbps),
    cpuPct: medianOf(ps, (p) => p.cpuPct),
    cpuTotalPct: sum(ps.map((p) => p.cpuPct)),
    rtcpKbps: medianOf(ps, (p) => p.rtcpKbps),
    audioKbps: medianOf(ps, (p) => p.audioKbps),
    lowKbps: lows.length ? median(lows) : null,
    fullKbps: medianOf(ps, (p) => p.fullKbps),
    lossPct: expected > 0 ? Math.max(0, (100 * (expected - sum(ps.map((p) => p.receivedPackets)))) / expected) : NaN,
    shortfallPct: Math.max(...ps.map((p) => p.shortfallPct)),
    meanLateMs: medianOf(ps, (p) => p.meanLateMs),
    workerCpuPct: step.workerCpuPct,
    sfuEgressKbps: step.sfuEgressKbps,
    sfuEgressMediasoupKbps: step.sfuEgressMediasoupKbps,
    loadavg1: step.loadavg1,
  };
}

export interface SyntheticAggregate {
  n: number;
  mode: Mode;
  runs: number;
  upload: Spread;
  download: Spread;
  cpu: Spread;
  cpuTotal: Spread;
  loss: Spread;
  shortfall: Spread;
  workerCpu: Spread;
  sfuEgress: Spread;
  sfuEgressMediasoup: Spread;
  /** The machine's 1-minute load average after each run's window. */
  loadavg: Spread;
}

/** One aggregate per (N, mode) over its runs, ordered by N then mode. */
export function aggregateSynthetic(summaries: readonly SyntheticSummary[]): SyntheticAggregate[] {
  const groups = new Map<string, SyntheticSummary[]>();
  for (const s of summaries) groups.set(`${s.n}|${s.mode}`, [...(groups.get(`${s.n}|${s.mode}`) ?? []), s]);
  return [...groups.values()]
    .map((g) => ({
      n: g[0].n,
      mode: g[0].mode,
      runs: g.length,
      upload: spreadOf(g.map((s) => s.uploadKbps)),
      download: spreadOf(g.map((s) => s.downloadKbps)),
      cpu: spreadOf(g.map((s) => s.cpuPct)),
      cpuTotal: spreadOf(g.map((s) => s.cpuTotalPct)),
      loss: spreadOf(g.map((s) => s.lossPct)),
      shortfall: spreadOf(g.map((s) => s.shortfallPct)),
      workerCpu: spreadOf(g.map((s) => s.workerCpuPct)),
      sfuEgress: spreadOf(g.map((s) => s.sfuEgressKbps)),
      sfuEgressMediasoup: spreadOf(g.map((s) => s.sfuEgressMediasoupKbps)),
      loadavg: spreadOf(g.map((s) => s.loadavg1)),
    }))
    .sort((a, b) => a.n - b.n || a.mode.localeCompare(b.mode));
}

// ---- the upload ratio against the cost model ------------------------------------------------------

export interface SyntheticRunRatio {
  run: number;
  meshKbps: number;
  sfuKbps: number;
  ratio: number;
  /** (N−1)·(b_full + a) / (b_full + b_low + a) from the SFU step's streams as sent. */
  expected: number;
  deviation: number;
  within: boolean;
}

export interface SyntheticRatioRow {
  n: number;
  runs: SyntheticRunRatio[];
  measured: Spread;
  expected: Spread;
  tolerance: number;
  /** Every run within the tolerance of its own expectation. */
  within: boolean;
  reasons: string[];
}

const fx = (v: number | null, d = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(d));

/** What a participant's streams are scheduled to send, kbit/s on the wire (RTCP aside). */
export type ScheduledUpload = (mode: Mode, n: number) => number;

/**
 * Per N measured in both modes: each run's mesh/SFU median upload against the model, ±tolerance.
 * `scheduled` lets the reasons for a miss compare each side with its schedule; without it, the
 * SFU participants' streams as sent stand in for the schedule.
 */
export function syntheticRatios(summaries: readonly SyntheticSummary[], tolerance = 0.1, scheduled?: ScheduledUpload): SyntheticRatioRow[] {
  const ns = [...new Set(summaries.map((s) => s.n))].sort((a, b) => a - b);
  const rows: SyntheticRatioRow[] = [];
  for (const n of ns) {
    const mesh = summaries.filter((s) => s.n === n && s.mode === 'mesh');
    const sfu = summaries.filter((s) => s.n === n && s.mode === 'sfu');
    const runs: SyntheticRunRatio[] = [];
    for (const m of mesh) {
      const s = sfu.find((x) => x.run === m.run);
      if (!s) continue;
      const ratio = s.uploadKbps > 0 ? m.uploadKbps / s.uploadKbps : NaN;
      const expected = expectedRatio(n, { highKbps: s.fullKbps, lowKbps: s.lowKbps, audioKbps: s.audioKbps });
      const deviation = ratio / expected - 1;
      runs.push({ run: m.run, meshKbps: m.uploadKbps, sfuKbps: s.uploadKbps, ratio, expected, deviation, within: Number.isFinite(deviation) && Math.abs(deviation) <= tolerance + 1e-12 });
    }
    if (runs.length === 0) continue;
    runs.sort((a, b) => a.run - b.run);
    const within = runs.every((r) => r.within);
    rows.push({
      n,
      runs,
      measured: spreadOf(runs.map((r) => r.ratio)),
      expected: spreadOf(runs.map((r) => r.expected)),
      tolerance,
      within,
      reasons: within ? [] : syntheticRatioReasons(runs, mesh, sfu, tolerance, scheduled),
    });
  }
  return rows;
}

/**
 * Why runs missed the model, one line per missed run, read off the same steps: how far each side's
 * upload fell short of its schedule, the frames its senders dropped, their CPU and the machine's
 * load. A synthetic sender sends what it is told unless it is not given the CPU in time.
 */
export function syntheticRatioReasons(
  runs: readonly SyntheticRunRatio[],
  mesh: readonly SyntheticSummary[],
  sfu: readonly SyntheticSummary[],
  tolerance: number,
  scheduled?: ScheduledUpload,
): string[] {
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${fx(v * 100)} %`;
  return runs
    .filter((r) => !r.within)
    .map((r) => {
      const m = mesh.find((x) => x.run === r.run);
      const s = sfu.find((x) => x.run === r.run);
      const head = `run ${r.run}: ×${fx(r.ratio, 2)} against ×${fx(r.expected, 2)} (${pct(r.deviation)}, outside ±${Math.round(tolerance * 100)} %)`;
      if (!m || !s) return head;
      const due = {
        mesh: scheduled ? scheduled('mesh', m.n) : (m.n - 1) * (s.fullKbps + s.audioKbps),
        sfu: scheduled ? scheduled('sfu', s.n) : s.uploadKbps,
      };
      const parts = [
        { name: 'mesh peers', x: m, due: due.mesh },
        { name: 'SFU participants', x: s, due: due.sfu },
      ]
        .filter((side) => Math.abs(side.x.uploadKbps / side.due - 1) > tolerance / 2)
        .map(
          (side) =>
            `${side.name} uploaded ${pct(side.x.uploadKbps / side.due - 1)} against their schedule (${fx(side.x.uploadKbps)} of ${fx(side.due)} kbps; ` +
            `the worst dropped ${fx(side.x.shortfallPct, 1)} % of its frames while each used ${fx(side.x.cpuPct, 1)} % of a core, at load average ${fx(side.x.loadavg1, 1)})`,
        );
      if (parts.length === 0) return `${head}: both sides sent within ±${Math.round((tolerance / 2) * 100)} % of their schedules; the rest is timing between the participants' windows`;
      const starved = [m, s].some((x) => x.shortfallPct > 0 && x.cpuPct < 50);
      return `${head}: ${parts.join('; ')}${starved ? ': senders were not given the CPU in time (other work on the machine), not a cost of the topology' : ''}`;
    });
}

// ---- the knee ---------------------------------------------------------------------------------------

export interface SyntheticKneeRule {
  /** Loss at the sinks above this, %. */
  lossPct: number;
  /** The mediasoup worker above this, % of one core (SFU). */
  workerCpuPct: number;
  /** A sender dropping more than this share of its scheduled frames, %. */
  shortfallPct: number;
}

export const DEFAULT_KNEE_RULE: SyntheticKneeRule = { lossPct: 2, workerCpuPct: 90, shortfallPct: 10 };

export function describeKneeRule(r: SyntheticKneeRule): string {
  return (
    `smallest N where, in the median over runs, loss at the sinks > ${r.lossPct} %, or the SFU worker's CPU > ${r.workerCpuPct} % of a core, ` +
    `or the worst sender dropped > ${r.shortfallPct} % of its scheduled frames (fell behind)`
  );
}

export interface SyntheticKnee {
  mode: Mode;
  rule: string;
  /** Null: nothing broke up to the largest N measured. */
  n: number | null;
  /** What broke at that N, with the numbers. */
  why: string[];
}

/** Which of the rule's limits an aggregate breaks, in words; empty when none. */
export function brokenLimits(a: SyntheticAggregate, r: SyntheticKneeRule): string[] {
  const out: string[] = [];
  if (a.loss.median > r.lossPct) out.push(`loss ${fx(a.loss.median, 2)} % > ${r.lossPct} %`);
  if (a.workerCpu.median > r.workerCpuPct) out.push(`worker CPU ${fx(a.workerCpu.median)} % > ${r.workerCpuPct} %`);
  if (a.shortfall.median > r.shortfallPct) out.push(`senders dropped ${fx(a.shortfall.median, 1)} % of frames > ${r.shortfallPct} %`);
  return out;
}

export function syntheticKnee(aggregates: readonly SyntheticAggregate[], mode: Mode, rule: SyntheticKneeRule = DEFAULT_KNEE_RULE): SyntheticKnee {
  const own = aggregates.filter((a) => a.mode === mode).sort((a, b) => a.n - b.n);
  const at = own.find((a) => brokenLimits(a, rule).length > 0);
  return { mode, rule: describeKneeRule(rule), n: at ? at.n : null, why: at ? brokenLimits(at, rule) : [] };
}

export function formatSyntheticKnee(k: SyntheticKnee, maxN: number): string {
  const name = k.mode === 'sfu' ? 'SFU' : 'mesh';
  return k.n === null ? `${name} knee: none up to N=${maxN}` : `${name} knee: N=${k.n} (${k.why.join('; ')})`;
}
