// The SFU capacity benchmark's results: the per-step record, the verdict ("consumers per worker")
// and the human table. Pure, so the verdict rules are unit-tested without a worker.
import { linearFit } from '../measure/stats-math';

export interface StepResult {
  consumers: number;
  /** Wall-clock length of the measured window, seconds. */
  seconds: number;
  /** Packets the synthetic producers sent during the window. */
  sentPackets: number;
  /** Σ over producers of packets sent × that producer's consumers. */
  expectedPackets: number;
  receivedPackets: number;
  lossPct: number;
  forwardedPacketsPerSec: number;
  forwardedMbps: number;
  /** Worker CPU time / wall time; 100 = one core, the most a single-threaded worker can use. */
  workerCpuPct: number;
  /** Worker CPU time per packet received by the sinks; null when nothing was forwarded. */
  workerCpuUsPerPacket: number | null;
  /** This Node process (senders + sinks); on a small machine it competes with the worker. */
  harnessCpuPct: number;
  /** Consumers that received nothing in the window. */
  silentConsumers: number;
  /** Machine-wide UDP receive-buffer drops in the window (/proc/net/snmp); null if unreadable. */
  kernelUdpRcvbufErrors: number | null;
  keyFrameRequests: number;
  /** The machine's 1-minute load average at the end of the window (other processes compete). */
  loadavg1?: number;
}

export type StopReason = 'max-reached' | 'loss' | 'cpu' | 'time-budget' | 'setup-failed' | 'worker-died' | 'interrupted';

export interface Limits {
  lossThresholdPct: number;
  cpuLimitPct: number;
}

/**
 * Why the first failing step failed: the worker's CPU limit, loss the sinks' kernel buffers
 * account for (at least half the lost packets: the harness, not the worker, fell behind), or
 * other loss (the worker fell behind, e.g. on a core it shares with other processes).
 */
export type LimitedBy = 'cpu' | 'loss-at-sinks' | 'loss';

export interface Verdict {
  /** Largest step (of the passing run from the start) with loss ≤ threshold and CPU < limit. */
  consumersPerWorker: number | null;
  /** False when the run ended without any step failing: the real capacity is higher. */
  saturated: boolean;
  /** Consumers at which a least-squares line through the passing steps' CPU hits the limit. */
  extrapolatedConsumersAtCpuLimit: number | null;
  /** The first failing step and why it failed; null when none failed. */
  firstFailure: { consumers: number; limitedBy: LimitedBy } | null;
}

export const MEDIASOUP_ANCHOR =
  'mediasoup docs (v3/scalability): "a mediasoup C++ subprocess can typically handle over ~500 consumers in total", ' +
  'depending on the host CPU.';

export function stepPasses(step: StepResult, limits: Limits): boolean {
  return step.lossPct <= limits.lossThresholdPct && step.workerCpuPct < limits.cpuLimitPct;
}

function limitedBy(step: StepResult, limits: Limits): LimitedBy {
  if (step.workerCpuPct >= limits.cpuLimitPct) return 'cpu';
  const lost = step.expectedPackets - step.receivedPackets;
  return step.kernelUdpRcvbufErrors !== null && step.kernelUdpRcvbufErrors * 2 >= lost ? 'loss-at-sinks' : 'loss';
}

export function verdict(steps: readonly StepResult[], limits: Limits): Verdict {
  const firstFail = steps.findIndex((s) => !stepPasses(s, limits));
  const passing = firstFail === -1 ? steps : steps.slice(0, firstFail);
  const last = passing[passing.length - 1];
  const failed = firstFail === -1 ? undefined : steps[firstFail];
  const fit = linearFit(
    passing.filter((s) => s.consumers > 0).map((s) => ({ x: s.consumers, y: s.workerCpuPct })),
  );
  const extrapolated =
    fit && fit.slope > 0 ? Math.floor((limits.cpuLimitPct - fit.intercept) / fit.slope) : null;
  return {
    consumersPerWorker: last ? last.consumers : null,
    saturated: firstFail !== -1,
    extrapolatedConsumersAtCpuLimit: extrapolated !== null && extrapolated > 0 ? extrapolated : null,
    firstFailure: failed ? { consumers: failed.consumers, limitedBy: limitedBy(failed, limits) } : null,
  };
}

/** 0, half a step (when the step is even and ≥ 20), then multiples of the step, up to max. */
export function consumerSteps(max: number, step: number): number[] {
  if (!(Number.isInteger(max) && max >= 0 && Number.isInteger(step) && step > 0)) {
    throw new RangeError(`need integer max >= 0 and step > 0, got max=${max} step=${step}`);
  }
  const steps = [0];
  if (step >= 20 && step % 2 === 0 && step / 2 <= max) steps.push(step / 2);
  for (let n = step; n <= max; n += step) steps.push(n);
  if (steps[steps.length - 1] !== max) steps.push(max);
  return steps;
}

const COLUMNS: { head: string; cell: (s: StepResult) => string }[] = [
  { head: 'consumers', cell: (s) => String(s.consumers) },
  { head: 'fwd pkt/s', cell: (s) => s.forwardedPacketsPerSec.toFixed(0) },
  { head: 'Mbit/s', cell: (s) => s.forwardedMbps.toFixed(1) },
  { head: 'expected', cell: (s) => String(s.expectedPackets) },
  { head: 'received', cell: (s) => String(s.receivedPackets) },
  { head: 'loss %', cell: (s) => s.lossPct.toFixed(2) },
  { head: 'worker CPU %', cell: (s) => s.workerCpuPct.toFixed(1) },
  { head: 'µs/pkt', cell: (s) => (s.workerCpuUsPerPacket === null ? '-' : s.workerCpuUsPerPacket.toFixed(2)) },
  { head: 'harness CPU %', cell: (s) => s.harnessCpuPct.toFixed(1) },
  { head: 'silent', cell: (s) => String(s.silentConsumers) },
  { head: 'udp drops', cell: (s) => (s.kernelUdpRcvbufErrors === null ? '-' : String(s.kernelUdpRcvbufErrors)) },
];

export function formatTable(steps: readonly StepResult[]): string {
  const rows = [COLUMNS.map((c) => c.head), ...steps.map((s) => COLUMNS.map((c) => c.cell(s)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padStart(widths[i])).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

export function formatVerdict(v: Verdict, bitrateKbps: number, stopReason: StopReason, limits: Limits): string {
  const rule = `loss ≤ ${limits.lossThresholdPct}% and worker CPU < ${limits.cpuLimitPct}%`;
  const head =
    v.consumersPerWorker === null
      ? `consumers per worker at ${bitrateKbps} kbps: none passed (${rule})`
      : `consumers per worker at ${bitrateKbps} kbps: ${v.consumersPerWorker}` +
        (v.saturated ? ` (largest step with ${rule})` : ` or more (no step failed; run stopped: ${stopReason})`);
  const why: Record<LimitedBy, string> = {
    cpu: 'worker CPU reached the limit',
    'loss-at-sinks': "loss, mostly in the sinks' UDP buffers: the benchmark harness, not the worker, fell behind",
    loss: 'loss with worker CPU under the limit: the worker fell behind (a core shared with other processes?)',
  };
  const failure = v.firstFailure ? `\nfirst failing step: ${v.firstFailure.consumers} consumers, ${why[v.firstFailure.limitedBy]}` : '';
  const extra =
    v.extrapolatedConsumersAtCpuLimit === null
      ? ''
      : `\nlinear CPU extrapolation: ~${v.extrapolatedConsumersAtCpuLimit} consumers at ${limits.cpuLimitPct}% worker CPU (an estimate, not a measurement)`;
  return `${head}${failure}${extra}\nstop reason: ${stopReason}\nanchor: ${MEDIASOUP_ANCHOR}`;
}

// ---- --compare-srtp: the same steps against plain RTP and each libsrtp2 build, side by side ----

/** One series of a comparison run: its label, its steps and what they concluded. */
export interface SeriesSummary {
  /** e.g. "plain RTP", "SRTP, NSS libsrtp2 (Debian's)", "SRTP, OpenSSL libsrtp2". */
  label: string;
  /** Column heading in the side-by-side table, e.g. "NSS". */
  short: string;
  steps: readonly StepResult[];
  stopReason: StopReason;
}

/**
 * The largest step, before the first failing one, whose loss shows as 0.00% (under 0.005%).
 * Loss is measured across window edges, so a step or two below it may show a few hundredths.
 */
export function consumersAtZeroLoss(steps: readonly StepResult[], limits: Limits): number | null {
  const firstFail = steps.findIndex((s) => !stepPasses(s, limits));
  const passing = firstFail === -1 ? steps : steps.slice(0, firstFail);
  const clean = passing.filter((s) => s.lossPct < 0.005);
  return clean.length ? clean[clean.length - 1].consumers : null;
}

/** The largest consumer count (> 0) that every series measured in a passing step, or null. */
export function commonConsumers(series: readonly SeriesSummary[], limits: Limits): number | null {
  if (!series.length) return null;
  const passed = series.map(
    (s) => new Set(s.steps.filter((st) => st.consumers > 0 && stepPasses(st, limits)).map((st) => st.consumers)),
  );
  const shared = [...passed[0]].filter((n) => passed.every((p) => p.has(n)));
  return shared.length ? Math.max(...shared) : null;
}

/**
 * Worker CPU µs per additional forwarded packet: the slope of a least-squares line through the
 * passing steps' (forwarded packets/s, worker CPU µs/s), the idle worker's own CPU left out.
 * Uses every passing step, so one noisy step moves it less than it moves that step's µs/pkt.
 */
export function marginalUsPerPacket(steps: readonly StepResult[], limits: Limits): number | null {
  const firstFail = steps.findIndex((s) => !stepPasses(s, limits));
  const passing = firstFail === -1 ? steps : steps.slice(0, firstFail);
  const fit = linearFit(passing.map((s) => ({ x: s.forwardedPacketsPerSec, y: s.workerCpuPct * 1e4 })));
  return fit && fit.slope > 0 ? fit.slope : null;
}

export interface ComparisonRow {
  label: string;
  /** marginalUsPerPacket() of the series. */
  marginalUsPerPacket: number | null;
  /** marginalUsPerPacket / the first series' (plain RTP's). */
  ratioToFirst: number | null;
  /** Worker CPU µs per forwarded packet (the table's µs/pkt) at the common consumer count. */
  usPerPacket: number | null;
  consumersAtZeroLoss: number | null;
  consumersPerWorker: number | null;
  /** False when no step failed: the capacities are lower bounds ("or more"). */
  saturated: boolean;
  /** The first failing step: its consumers, loss and worker CPU, and why (see LimitedBy). */
  firstFailure: { consumers: number; lossPct: number; workerCpuPct: number; limitedBy: LimitedBy } | null;
  stopReason: StopReason;
}

export function compareSeries(series: readonly SeriesSummary[], limits: Limits): { commonConsumers: number | null; rows: ComparisonRow[] } {
  const common = commonConsumers(series, limits);
  const usAt = (s: SeriesSummary) => s.steps.find((st) => st.consumers === common)?.workerCpuUsPerPacket ?? null;
  const base = series.length ? marginalUsPerPacket(series[0].steps, limits) : null;
  const rows = series.map((s) => {
    const v = verdict(s.steps, limits);
    const marginal = marginalUsPerPacket(s.steps, limits);
    return {
      label: s.label,
      marginalUsPerPacket: marginal,
      ratioToFirst: marginal !== null && base ? marginal / base : null,
      usPerPacket: common === null ? null : usAt(s),
      consumersAtZeroLoss: consumersAtZeroLoss(s.steps, limits),
      consumersPerWorker: v.consumersPerWorker,
      saturated: v.saturated,
      firstFailure: (() => {
        const f = s.steps.find((st) => v.firstFailure && st.consumers === v.firstFailure.consumers);
        return f && v.firstFailure ? { consumers: f.consumers, lossPct: f.lossPct, workerCpuPct: f.workerCpuPct, limitedBy: v.firstFailure.limitedBy } : null;
      })(),
      stopReason: s.stopReason,
    };
  });
  return { commonConsumers: common, rows };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Every series' µs/pkt, loss and worker CPU per consumer count, side by side. */
export function formatSideBySide(series: readonly SeriesSummary[]): string {
  const counts = [...new Set(series.flatMap((s) => s.steps.map((st) => st.consumers)))].sort((a, b) => a - b);
  const head = ['consumers', ...series.flatMap((s) => [`${s.short} µs/pkt`, 'loss %', 'CPU %'])];
  const rows = counts.map((n) => [
    String(n),
    ...series.flatMap((s) => {
      const st = s.steps.find((x) => x.consumers === n);
      if (!st) return ['', '', ''];
      return [st.workerCpuUsPerPacket === null ? '-' : st.workerCpuUsPerPacket.toFixed(2), st.lossPct.toFixed(2), st.workerCpuPct.toFixed(1)];
    }),
  ]);
  return table([head, ...rows]);
}

/** The summary: µs per packet (marginal, and at a common consumer count), ratio to the first series, capacities. */
export function formatComparison(series: readonly SeriesSummary[], limits: Limits, bitrateKbps: number): string {
  const { commonConsumers: n, rows } = compareSeries(series, limits);
  const cap = (c: number | null, saturated: boolean) => (c === null ? 'none' : saturated ? String(c) : `${c} or more`);
  const head = [
    `${bitrateKbps} kbps streams`,
    'µs/pkt',
    `× ${series[0]?.label ?? 'first'}`,
    n === null ? 'µs/pkt at -' : `µs/pkt at ${n}`,
    'consumers at 0% loss',
    `consumers at ≤ ${limits.lossThresholdPct}% loss`,
    'first failing step',
  ];
  const body = rows.map((r) => [
    r.label,
    r.marginalUsPerPacket === null ? '-' : r.marginalUsPerPacket.toFixed(2),
    r.ratioToFirst === null ? '-' : r.ratioToFirst.toFixed(2),
    r.usPerPacket === null ? '-' : r.usPerPacket.toFixed(2),
    cap(r.consumersAtZeroLoss, r.saturated),
    cap(r.consumersPerWorker, r.saturated),
    r.firstFailure
      ? `${r.firstFailure.consumers}: loss ${r.firstFailure.lossPct.toFixed(1)}%, CPU ${r.firstFailure.workerCpuPct.toFixed(0)}%` +
        (r.firstFailure.limitedBy === 'cpu' ? '' : r.firstFailure.limitedBy === 'loss-at-sinks' ? ' (harness behind)' : ' (worker behind)')
      : '-',
  ]);
  const note =
    'µs/pkt: worker CPU time per additional forwarded packet (slope over the passing steps, idle CPU left out); ' +
    `"at ${n ?? 'N'}": CPU time / packets at the largest consumer count every series passed; ` +
    '"or more": that series never failed a step (raise --max-consumers); "worker behind": loss while the worker ' +
    'had CPU to spare (its core shared with other processes?), "harness behind": loss in the sinks\' UDP buffers.';
  return `${table([head, ...body])}\n${note}`;
}
