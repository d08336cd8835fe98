// SFU capacity benchmark (no browsers): synthetic VP8 producers and PlainTransport consumers on
// loopback, consumers per worker grown in steps until loss or worker CPU gives out.
// With --compare-srtp, the same steps for three workers in one run, taking turns step by step: plain
// RTP, SRTP on Debian's libsrtp2 (NSS), SRTP on libsrtp2 built with OpenSSL
// (scripts/build/build-libsrtp2-openssl.sh), side by side.
// Run: npx tsx scripts/kit/cli/sfu-capacity.ts [--quick] [--max-consumers N] [--step N] ... [--help]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import {
  compareSeries,
  consumersAtZeroLoss,
  consumerSteps,
  formatComparison,
  formatSideBySide,
  formatTable,
  formatVerdict,
  MEDIASOUP_ANCHOR,
  stepPasses,
  verdict,
  type SeriesSummary,
  type StepResult,
  type StopReason,
} from '../lib/report/capacity-report';
import { EXIT, numberArg, oneOf, startCli, UsageError, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { loadMediasoup, SfuRig, SRTP_SUITES } from '../lib/rtp/sfu-rig';
import { opensslLibsrtp, selectLibsrtp, type WorkerLibsrtp } from '../../../server/sfu/libsrtp';

type Mediasoup = typeof import('mediasoup');

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
  --recheck N          measure a failing step again up to N times before stopping (default 1)
  --plain-rtp          consumers without SRTP (default: SRTP, like WebRTC consumers)
  --srtp-suite S       ${SRTP_SUITES.join(', ')}
                       (default AES_CM_128_HMAC_SHA1_80; Chromium and this SFU negotiate AEAD_AES_256_GCM)
  --compare-srtp       the same steps for plain RTP, SRTP on Debian's libsrtp2 (NSS) and SRTP on the
                       OpenSSL libsrtp2 (scripts/build/build-libsrtp2-openssl.sh), one worker each, taking
                       turns step by step (the others paused); side by side; --time-budget is per series
  --out FILE           JSON output (default test-results/bench/sfu-capacity.json,
                       with --compare-srtp test-results/bench/sfu-capacity-srtp.json)
  --quick              tiny smoke run
The worker uses the OpenSSL libsrtp2 when it is built, else Debian's; the run says which it loaded.
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
  recheck: { type: 'string' },
  'plain-rtp': { type: 'boolean', default: false },
  'srtp-suite': { type: 'string' },
  'compare-srtp': { type: 'boolean', default: false },
  out: { type: 'string' },
  quick: { type: 'boolean', default: false },
} as const;

/** A number option >= min, or its default (which depends on --quick) when not given. */
const opt = (name: string, raw: string | undefined, fallback: number, min: number, integer = true) =>
  raw === undefined ? fallback : numberArg(name, raw, min, Infinity, integer);

function configure(v: CliValues<typeof options>) {
  const quick = v.quick;
  const compare = v['compare-srtp'];
  if (compare && v['plain-rtp']) throw new UsageError('--compare-srtp runs plain RTP itself; drop --plain-rtp');
  return {
    compare,
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
    recheck: opt('recheck', v.recheck, 1, 0),
    srtp: !v['plain-rtp'],
    srtpSuite: oneOf('srtp-suite', v['srtp-suite'] ?? 'AES_CM_128_HMAC_SHA1_80', SRTP_SUITES) as types.SrtpCryptoSuite,
    fps: 30,
    keyFrameIntervalS: 2,
    warmupTimeoutS: quick ? 2 : 3,
    settleS: quick ? 0.2 : 0.5,
    sinkSockets: 4,
    outPath: resolve(v.out ?? (compare ? 'test-results/bench/sfu-capacity-srtp.json' : 'test-results/bench/sfu-capacity.json')),
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
    loadavg1: loadavg()[0],
  };
}

function progressLine(s: StepResult): string {
  const perPkt = s.workerCpuUsPerPacket === null ? '-' : s.workerCpuUsPerPacket.toFixed(2);
  return `  ${String(s.consumers).padStart(5)} consumers: ${s.forwardedPacketsPerSec.toFixed(0)} pkt/s, loss ${s.lossPct.toFixed(2)}%, worker CPU ${s.workerCpuPct.toFixed(1)}%, ${perPkt} µs/pkt`;
}

/** Consumers without SRTP, or SRTP on the system's libsrtp2 or the OpenSSL one. */
interface SeriesSpec {
  label: string;
  short: string;
  srtp: boolean;
  /** Which libsrtp2 the worker gets: 'openssl', 'system' (Debian's), or 'default' (as the server picks). */
  libsrtp: 'openssl' | 'system' | 'default';
}

interface SeriesRun extends SeriesSummary {
  steps: StepResult[];
  /** Failing windows that a re-measurement replaced (--recheck). */
  rejectedWindows: StepResult[];
  srtp: boolean;
  libsrtp: WorkerLibsrtp;
  stopDetail: string | null;
  cpuSource: string;
  sinkRecvBufferBytes: number;
  packetsPerSecondPerProducer: number | null;
  loadavgBefore: number[];
  durationS: number;
}

const cacheDir = () => process.env.MEDIASOUP_WORKER_CACHE || join(homedir(), '.cache', 'mesh-vs-sfu');

interface SeriesState {
  spec: SeriesSpec;
  rig: SfuRig;
  run: SeriesRun;
  stopped: boolean;
}

function newRig(config: Config, srtp: boolean): SfuRig {
  return new SfuRig({
    producers: config.producers,
    sender: {
      bitrateKbps: config.bitrateKbps,
      payloadBytes: config.payloadBytes,
      fps: config.fps,
      keyFrameIntervalS: config.keyFrameIntervalS,
    },
    srtp,
    srtpSuite: config.srtpSuite,
    sinkSockets: config.sinkSockets,
  });
}

/** Starts a series' worker on the libsrtp2 the spec asks for and checks which one it loaded. */
async function startSeries(mediasoup: Mediasoup, config: Config, spec: SeriesSpec, plan: number[], log: (l: string) => void): Promise<SeriesState> {
  // mediasoup copies process.env (LD_LIBRARY_PATH included) into each worker it spawns.
  if (spec.libsrtp !== 'default') selectLibsrtp(cacheDir(), spec.libsrtp === 'openssl');
  const loadavgBefore = loadavg();
  const rig = newRig(config, spec.srtp);
  const run: SeriesRun = {
    label: spec.label,
    short: spec.short,
    srtp: spec.srtp,
    libsrtp: { library: null, backend: 'unknown' },
    steps: [],
    rejectedWindows: [],
    stopReason: 'max-reached',
    stopDetail: null,
    cpuSource: 'worker.getResourceUsage()',
    sinkRecvBufferBytes: 0,
    packetsPerSecondPerProducer: null,
    loadavgBefore,
    durationS: 0,
  };
  try {
    await rig.start(mediasoup);
    const libsrtp = rig.libsrtp;
    run.libsrtp = libsrtp;
    if (spec.libsrtp === 'openssl' && libsrtp.backend !== 'openssl') {
      throw new Error(`asked for the OpenSSL libsrtp2, but the worker loaded ${libsrtp.library ?? 'no libsrtp2'} (${libsrtp.backend})`);
    }
    if (spec.libsrtp === 'system' && libsrtp.library === opensslLibsrtp(cacheDir())) {
      throw new Error(`asked for the system libsrtp2, but the worker loaded ${libsrtp.library}`);
    }
  } catch (err) {
    rig.close();
    throw err;
  }
  const pps = rig.producers[0]?.sender.packetsPerSecond ?? 0;
  run.packetsPerSecondPerProducer = pps;
  if (rig.workerProcCpuMs() !== null) run.cpuSource = `/proc/${rig.workerPid}/stat`;
  run.sinkRecvBufferBytes = rig.sinks.recvBufferSize();
  const suite = spec.srtp ? `SRTP ${config.srtpSuite}` : 'plain RTP';
  log(
    `${spec.label}: mediasoup ${mediasoup.version}, worker pid ${rig.workerPid}, ${config.producers} producers × ` +
      `${config.bitrateKbps} kbps (${pps} pkt/s of ${config.payloadBytes} B), consumers ${suite}, ` +
      `steps ${plan.join(',')}, ${config.stepSeconds}s each; worker CPU from ${run.cpuSource}\n` +
      `  worker's libsrtp2: ${run.libsrtp.library ?? 'not found'} (crypto: ${run.libsrtp.backend}${spec.srtp ? '' : ', unused for plain RTP'})`,
  );
  return { spec, rig, run, stopped: false };
}

/**
 * The consumer steps on one worker per series, until a step fails, the plan ends or the time budget
 * (per series) runs out. With several series the workers take turns step by step, each measured
 * alone while the others' producers are paused, in an order that rotates every step, so that a
 * change in the machine's load hits every series alike.
 */
async function runSeriesSet(mediasoup: Mediasoup, config: Config, specs: SeriesSpec[], ctx: CliContext): Promise<SeriesRun[]> {
  const { signal, log } = ctx;
  const limits = { lossThresholdPct: config.lossThresholdPct, cpuLimitPct: config.cpuLimitPct };
  const plan = consumerSteps(config.maxConsumers, config.step);
  const t0 = performance.now();
  const budgetS = config.timeBudgetS * specs.length;
  const states: SeriesState[] = [];
  const tag = (st: SeriesState) => (specs.length > 1 ? `[${st.spec.short}] ` : '');
  try {
    for (const spec of specs) {
      const st = await startSeries(mediasoup, config, spec, plan, log);
      states.push(st);
      if (specs.length > 1) st.rig.pause();
    }
    if (specs.length > 1) log(`load average at the start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const [i, target] of plan.entries()) {
      const active = states.filter((st) => !st.stopped);
      if (!active.length) break;
      const order = active.map((_, k) => active[(k + i) % active.length]);
      for (const st of order) {
        const run = st.run;
        const started = performance.now();
        if ((started - t0) / 1000 > budgetS) {
          run.stopReason = 'time-budget';
          st.stopped = true;
          continue;
        }
        try {
          st.rig.resume();
          try {
            await st.rig.growTo(target);
          } catch (err) {
            run.stopReason = st.rig.died ? 'worker-died' : 'setup-failed';
            run.stopDetail = err instanceof Error ? err.message : String(err);
            st.stopped = true;
            continue;
          }
          await warmUp(st.rig, config, signal);
          let step = await measure(st.rig, config, signal);
          // A failing window is measured again (--recheck): on a shared machine another process can
          // take the worker's core for a moment. Rejected windows stay in the JSON.
          for (let k = 0; k < config.recheck && !stepPasses(step, limits); k += 1) {
            log(`${tag(st)}${progressLine(step)}  (failed; measuring again)`);
            run.rejectedWindows.push(step);
            await sleep(config.settleS * 1000, undefined, { signal });
            step = await measure(st.rig, config, signal);
          }
          run.steps.push(step);
          log(`${tag(st)}${progressLine(step)}`);
          if (step.lossPct > limits.lossThresholdPct) run.stopReason = 'loss';
          else if (step.workerCpuPct >= limits.cpuLimitPct) run.stopReason = 'cpu';
          if (run.stopReason !== 'max-reached') st.stopped = true;
        } catch (err) {
          if (signal.aborted) run.stopReason = 'interrupted';
          else if (st.rig.died) run.stopReason = 'worker-died';
          else throw err;
          run.stopDetail = err instanceof Error ? err.message : String(err);
          st.stopped = true;
        } finally {
          run.durationS += (performance.now() - started) / 1000;
          if (specs.length > 1) st.rig.pause();
        }
        if (signal.aborted) break;
      }
      if (signal.aborted) {
        for (const st of states) if (!st.stopped) Object.assign(st.run, { stopReason: 'interrupted' });
        break;
      }
    }
  } finally {
    for (const st of states) st.rig.close();
  }
  return states.map((st) => st.run);
}

function machine(loadBefore: number[]) {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgBefore: loadBefore, loadavgAfter: loadavg() };
}

function writeJson(path: string, report: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

async function run(config: Config, ctx: CliContext): Promise<number> {
  return config.compare ? runComparison(config, ctx) : runSingle(config, ctx);
}

async function runSingle(config: Config, ctx: CliContext): Promise<number> {
  const { log } = ctx;
  const limits = { lossThresholdPct: config.lossThresholdPct, cpuLimitPct: config.cpuLimitPct };
  const started = new Date();
  const t0 = performance.now();
  const loadBefore = loadavg();
  const mediasoup = await loadMediasoup();
  const label = config.srtp ? 'SFU capacity' : 'SFU capacity (plain RTP)';
  const [s] = await runSeriesSet(mediasoup, config, [{ label, short: label, srtp: config.srtp, libsrtp: 'default' }], ctx);
  const v = verdict(s.steps, limits);
  const { outPath, compare: _compare, ...settings } = config;
  writeJson(outPath, {
    benchmark: 'sfu-capacity',
    schemaVersion: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    machine: machine(loadBefore),
    config: {
      ...settings,
      packetsPerSecondPerProducer: s.packetsPerSecondPerProducer,
      workerCpuSource: s.cpuSource,
      sinkRecvBufferBytes: s.sinkRecvBufferBytes,
    },
    libsrtp: s.libsrtp,
    stopReason: s.stopReason,
    stopDetail: s.stopDetail,
    steps: s.steps,
    rejectedWindows: s.rejectedWindows,
    result: { bitrateKbps: config.bitrateKbps, ...v, consumersAtZeroLoss: consumersAtZeroLoss(s.steps, limits), limits, anchor: MEDIASOUP_ANCHOR },
  });
  log(`\n${formatTable(s.steps)}\n\n${formatVerdict(v, config.bitrateKbps, s.stopReason, limits)}`);
  if (s.stopDetail) log(`detail: ${s.stopDetail}`);
  log(`JSON: ${outPath}`);
  return s.stopReason === 'interrupted' ? EXIT.interrupted : EXIT.ok;
}

async function runComparison(config: Config, ctx: CliContext): Promise<number> {
  const { log, signal } = ctx;
  const limits = { lossThresholdPct: config.lossThresholdPct, cpuLimitPct: config.cpuLimitPct };
  const openssl = opensslLibsrtp(cacheDir());
  if (!openssl) {
    throw new Error(`no OpenSSL libsrtp2 in ${cacheDir()}; build it with scripts/build/build-libsrtp2-openssl.sh (scripts/setup.sh does)`);
  }
  const started = new Date();
  const t0 = performance.now();
  const loadBefore = loadavg();
  const mediasoup = await loadMediasoup();
  const specs: SeriesSpec[] = [
    { label: 'plain RTP', short: 'plain', srtp: false, libsrtp: 'system' },
    { label: "SRTP, NSS libsrtp2 (Debian's)", short: 'NSS', srtp: true, libsrtp: 'system' },
    { label: 'SRTP, OpenSSL libsrtp2', short: 'OpenSSL', srtp: true, libsrtp: 'openssl' },
  ];
  log(`Comparing libsrtp2 builds (SRTP suite ${config.srtpSuite}): one worker per series, taking turns step by step`);
  let series: SeriesRun[];
  try {
    series = await runSeriesSet(mediasoup, config, specs, ctx);
  } finally {
    selectLibsrtp(cacheDir()); // back to the default for anything this process starts later
  }
  const { outPath, compare: _compare, srtp: _srtp, ...settings } = config;
  const comparison = compareSeries(series, limits);
  writeJson(outPath, {
    benchmark: 'sfu-capacity',
    mode: 'compare-srtp',
    schemaVersion: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    machine: machine(loadBefore),
    config: { ...settings, packetsPerSecondPerProducer: series[0]?.packetsPerSecondPerProducer ?? null },
    series: series.map((s) => ({
      ...s,
      result: { ...verdict(s.steps, limits), consumersAtZeroLoss: consumersAtZeroLoss(s.steps, limits), limits },
    })),
    comparison,
    anchor: MEDIASOUP_ANCHOR,
  });
  log(`\n${formatSideBySide(series)}\n\n${formatComparison(series, limits, config.bitrateKbps)}`);
  for (const s of series) if (s.stopDetail) log(`${s.label}: stopped (${s.stopReason}): ${s.stopDetail}`);
  log(`JSON: ${outPath}`);
  return series.some((s) => s.stopReason === 'interrupted') || signal.aborted ? EXIT.interrupted : EXIT.ok;
}

startCli(spec);
