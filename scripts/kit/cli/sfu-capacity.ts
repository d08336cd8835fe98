// SFU capacity benchmark (no browsers): synthetic VP8 producers and PlainTransport consumers on
// loopback, consumers per worker grown in steps until loss or worker CPU gives out.
// Run: npx tsx scripts/kit/cli/sfu-capacity.ts [--quick] [--max-consumers N] [--step N] ... [--help]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  consumerSteps,
  formatTable,
  formatVerdict,
  MEDIASOUP_ANCHOR,
  verdict,
  type StepResult,
  type StopReason,
} from '../lib/report/capacity-report';
import { EXIT, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { loadMediasoup, SfuRig } from '../lib/rtp/sfu-rig';

const USAGE = `Usage: npx tsx scripts/kit/cli/sfu-capacity.ts [options]
  --max-consumers N    largest consumer count to try (default 1000; --quick: 10)
  --step N             consumer step; steps are 0, N/2, N, 2N, ... (default 100; --quick: 5)
  --step-seconds S     measured window per step (default 5; --quick: 1)
  --producers N        synthetic producers, consumers spread round-robin (default 4; --quick: 2)
  --bitrate-kbps K     per producer (default 500)
  --payload-bytes B    RTP payload per packet (default 1200)
  --loss-threshold P   stop when loss exceeds P percent (default 2)
  --cpu-limit P        stop when worker CPU reaches P percent of one core (default 90)
  --time-budget S      stop starting new steps after S seconds (default 240; --quick: 45)
  --plain-rtp          consumers without SRTP (default: SRTP, like WebRTC consumers)
  --out FILE           JSON output (default test-results/bench/sfu-capacity.json)
  --quick              tiny smoke run
Exit codes: 0 ok (whatever the verdict), 1 failed (mediasoup or the rig could not start), 2 bad arguments, 130 interrupted.`;

const options = {
  'max-consumers': { type: 'string' },
  step: { type: 'string' },
  'step-seconds': { type: 'string' },
  producers: { type: 'string' },
  'bitrate-kbps': { type: 'string' },
  'payload-bytes': { type: 'string' },
  'loss-threshold': { type: 'string' },
  'cpu-limit': { type: 'string' },
  'time-budget': { type: 'string' },
  'plain-rtp': { type: 'boolean', default: false },
  out: { type: 'string', default: 'test-results/bench/sfu-capacity.json' },
  quick: { type: 'boolean', default: false },
} as const;

/** A number option >= min, or its default (which depends on --quick) when not given. */
const opt = (name: string, raw: string | undefined, fallback: number, min: number, integer = true) =>
  raw === undefined ? fallback : numberArg(name, raw, min, Infinity, integer);

function configure(v: CliValues<typeof options>) {
  const quick = v.quick;
  return {
    quick,
    maxConsumers: opt('max-consumers', v['max-consumers'], quick ? 10 : 1000, 0),
    step: opt('step', v.step, quick ? 5 : 100, 1),
    stepSeconds: opt('step-seconds', v['step-seconds'], quick ? 1 : 5, 0.2, false),
    producers: opt('producers', v.producers, quick ? 2 : 4, 1),
    bitrateKbps: opt('bitrate-kbps', v['bitrate-kbps'], 500, 1, false),
    payloadBytes: opt('payload-bytes', v['payload-bytes'], 1200, 16),
    lossThresholdPct: opt('loss-threshold', v['loss-threshold'], 2, 0, false),
    cpuLimitPct: opt('cpu-limit', v['cpu-limit'], 90, 1, false),
    timeBudgetS: opt('time-budget', v['time-budget'], quick ? 45 : 240, 1, false),
    srtp: !v['plain-rtp'],
    fps: 30,
    keyFrameIntervalS: 2,
    warmupTimeoutS: quick ? 2 : 3,
    settleS: quick ? 0.2 : 0.5,
    sinkSockets: 4,
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'sfu-capacity', usage: USAGE, options, configure, run };

/** Machine-wide UDP RcvbufErrors from /proc/net/snmp, or null where that file is missing. */
function udpRcvbufErrors(): number | null {
  try {
    const udp = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const [head, vals] = udp.map((l) => l.trim().split(/\s+/));
    const i = head?.indexOf('RcvbufErrors') ?? -1;
    return i > 0 && vals ? Number(vals[i]) : null;
  } catch {
    return null;
  }
}

function snapshot(rig: SfuRig) {
  return {
    t: performance.now(),
    sent: rig.producers.map((p) => p.sender.packetsSent),
    received: rig.sinks.totalPackets,
    bytes: rig.sinks.totalBytes,
    perConsumer: rig.consumers.map((c) => c.counter.packets),
    cpu: process.cpuUsage(),
    keyFrameRequests: rig.producers.reduce((a, p) => a + p.sender.keyFrameRequests, 0),
    udpErrors: udpRcvbufErrors(),
  };
}

/** Worker CPU ms: /proc when readable (synchronous), else getResourceUsage() stamped mid round trip. */
async function workerCpu(rig: SfuRig): Promise<{ t: number; ms: number }> {
  const t0 = performance.now();
  const proc = rig.workerProcCpuMs();
  if (proc !== null) return { t: t0, ms: proc };
  const ms = await rig.workerCpuMs();
  return { t: (t0 + performance.now()) / 2, ms };
}

/** Until every consumer has had a packet (it synced on a key frame) or the timeout, then a settle. */
async function warmUp(rig: SfuRig, config: Config, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + config.warmupTimeoutS * 1000;
  while (performance.now() < deadline && rig.consumers.some((c) => c.counter.packets === 0)) {
    await sleep(50, undefined, { signal });
  }
  await sleep(config.settleS * 1000, undefined, { signal });
}

async function measure(rig: SfuRig, config: Config, signal: AbortSignal): Promise<StepResult> {
  const w0 = await workerCpu(rig);
  const s0 = snapshot(rig);
  await sleep(config.stepSeconds * 1000, undefined, { signal });
  const s1 = snapshot(rig);
  const w1 = await workerCpu(rig);
  const seconds = (s1.t - s0.t) / 1000;
  const sentPackets = s1.sent.reduce((a, v, i) => a + v - s0.sent[i], 0);
  const expectedPackets = rig.producers.reduce((a, p, i) => a + (s1.sent[i] - s0.sent[i]) * p.consumers, 0);
  const receivedPackets = s1.received - s0.received;
  const workerCpuMs = w1.ms - w0.ms;
  const harnessCpuMs = (s1.cpu.user + s1.cpu.system - s0.cpu.user - s0.cpu.system) / 1000;
  return {
    consumers: rig.consumers.length,
    seconds,
    sentPackets,
    expectedPackets,
    receivedPackets,
    lossPct: expectedPackets > 0 ? Math.max(0, (100 * (expectedPackets - receivedPackets)) / expectedPackets) : 0,
    forwardedPacketsPerSec: receivedPackets / seconds,
    forwardedMbps: ((s1.bytes - s0.bytes) * 8) / seconds / 1e6,
    workerCpuPct: (100 * workerCpuMs) / (w1.t - w0.t),
    workerCpuUsPerPacket: receivedPackets > 0 ? (workerCpuMs * 1000) / receivedPackets : null,
    harnessCpuPct: (100 * harnessCpuMs) / (s1.t - s0.t),
    silentConsumers: s1.perConsumer.filter((v, i) => v === s0.perConsumer[i]).length,
    kernelUdpRcvbufErrors: s0.udpErrors === null || s1.udpErrors === null ? null : s1.udpErrors - s0.udpErrors,
    keyFrameRequests: s1.keyFrameRequests - s0.keyFrameRequests,
  };
}

function progressLine(s: StepResult): string {
  const perPkt = s.workerCpuUsPerPacket === null ? '-' : s.workerCpuUsPerPacket.toFixed(2);
  return `  ${String(s.consumers).padStart(5)} consumers: ${s.forwardedPacketsPerSec.toFixed(0)} pkt/s, loss ${s.lossPct.toFixed(2)}%, worker CPU ${s.workerCpuPct.toFixed(1)}%, ${perPkt} µs/pkt`;
}

async function run(config: Config, { signal, log }: CliContext): Promise<number> {
  const limits = { lossThresholdPct: config.lossThresholdPct, cpuLimitPct: config.cpuLimitPct };
  const started = new Date();
  const t0 = performance.now();
  const rig = new SfuRig({
    producers: config.producers,
    sender: {
      bitrateKbps: config.bitrateKbps,
      payloadBytes: config.payloadBytes,
      fps: config.fps,
      keyFrameIntervalS: config.keyFrameIntervalS,
    },
    srtp: config.srtp,
    sinkSockets: config.sinkSockets,
  });
  const plan = consumerSteps(config.maxConsumers, config.step);
  const steps: StepResult[] = [];
  let stopReason: StopReason = 'max-reached';
  let stopDetail: string | null = null;
  const loadBefore = loadavg();
  let cpuSource = 'worker.getResourceUsage()';
  let sinkRecvBufferBytes = 0;
  try {
    const mediasoup = await loadMediasoup();
    await rig.start(mediasoup);
    const pps = rig.producers[0]?.sender.packetsPerSecond ?? 0;
    if (rig.workerProcCpuMs() !== null) cpuSource = `/proc/${rig.workerPid}/stat`;
    sinkRecvBufferBytes = rig.sinks.recvBufferSize();
    log(
      `SFU capacity: mediasoup ${mediasoup.version}, worker pid ${rig.workerPid}, ${config.producers} producers × ` +
        `${config.bitrateKbps} kbps (${pps} pkt/s of ${config.payloadBytes} B), consumers ${config.srtp ? 'SRTP' : 'plain RTP'}, ` +
        `steps ${plan.join(',')}, ${config.stepSeconds}s each; worker CPU from ${cpuSource}`,
    );
    for (const target of plan) {
      if ((performance.now() - t0) / 1000 > config.timeBudgetS) {
        stopReason = 'time-budget';
        break;
      }
      try {
        await rig.growTo(target);
      } catch (err) {
        stopReason = rig.died ? 'worker-died' : 'setup-failed';
        stopDetail = err instanceof Error ? err.message : String(err);
        break;
      }
      await warmUp(rig, config, signal);
      const step = await measure(rig, config, signal);
      steps.push(step);
      log(progressLine(step));
      if (step.lossPct > config.lossThresholdPct) stopReason = 'loss';
      else if (step.workerCpuPct >= config.cpuLimitPct) stopReason = 'cpu';
      if (stopReason !== 'max-reached') break;
    }
  } catch (err) {
    if (signal.aborted) stopReason = 'interrupted';
    else if (rig.died) stopReason = 'worker-died';
    else throw err;
    stopDetail = err instanceof Error ? err.message : String(err);
  } finally {
    rig.close();
  }
  const v = verdict(steps, limits);
  const { outPath, ...settings } = config;
  const report = {
    benchmark: 'sfu-capacity',
    schemaVersion: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
    config: {
      ...settings,
      packetsPerSecondPerProducer: rig.producers[0]?.sender.packetsPerSecond ?? null,
      workerCpuSource: cpuSource,
      sinkRecvBufferBytes,
    },
    stopReason,
    stopDetail,
    steps,
    result: { bitrateKbps: config.bitrateKbps, ...v, limits, anchor: MEDIASOUP_ANCHOR },
  };
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(report, null, 2)}\n`);
  log(`\n${formatTable(steps)}\n\n${formatVerdict(v, config.bitrateKbps, stopReason, limits)}`);
  if (stopDetail) log(`detail: ${stopDetail}`);
  log(`JSON: ${outPath}`);
  return stopReason === 'interrupted' ? EXIT.interrupted : EXIT.ok;
}

startCli(spec);
