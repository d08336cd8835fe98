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
