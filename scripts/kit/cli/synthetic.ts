// SYNTHETIC topology benchmark (no browsers): for N = min..max, --runs times each, mesh then SFU.
// Every participant is its own Node process pacing RTP (lib/rtp/synthetic-peer*.ts): in mesh it sends
// its full layer and audio to each other participant's sink, in SFU one simulcast set (low + full
// layer + audio) into one real mediasoup worker, which forwards the others' full layer and audio to
// its sink. Measures upload, download and CPU per participant, the worker's CPU, SFU egress, loss;
// reports the mesh/SFU upload ratio against the cost model and the knee with its rule.
// Run: npx tsx scripts/kit/cli/synthetic.ts [--min 2 --max 16 --runs 3 --seconds 10] [--help]
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT, listOf, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { processTreeCpu } from '../lib/measure/proc';
import { writeBenchJson } from '../lib/report/bench-json';
import {
  aggregateSynthetic,
  DEFAULT_KNEE_RULE,
  describeKneeRule,
  packetsTo,
  participantFigures,
  summarizeSynthetic,
  syntheticKnee,
  syntheticRatios,
  type SyntheticStep,
} from '../lib/report/synthetic-figures';
import { formatConsole, SYNTHETIC_LABEL, syntheticCharts, syntheticMarkdown, WHAT_IT_MEASURES } from '../lib/report/synthetic-report';
import type { Mode } from '../lib/report/topology-report';
import { AUDIO_FPS, wireKbps } from '../lib/rtp/rtp-streams';
import { loadMediasoup } from '../lib/rtp/sfu-rig';
import { SyntheticPeer, type OutputSpec, type PeerSnapshot } from '../lib/rtp/synthetic-peer';
import { APP_FULL_LAYER_CAP_KBPS, APP_LOW_LAYER_KBPS, APP_SRTP_SUITE, meshStreams, sfuStreams, SyntheticSfu, type StreamRates } from '../lib/rtp/synthetic-sfu';

const USAGE = `Usage: npx tsx scripts/kit/cli/synthetic.ts [options]
SYNTHETIC: RTP-level senders, one Node process per participant, and a real mediasoup worker; no
browsers, no encoding, no SRTP on the senders, no congestion control. Measures transport cost.
  --min N            smallest room, 2..16 (default 2)
  --max N            largest room, min..16 (default 16)
  --runs R           repetitions of every (N, mode) step, 1..20 (default 3); medians and min-max over runs
  --seconds S        measured window per step, 1..120 (default 10)
  --kbps K           full video layer (mesh: each copy), payload kbit/s, 50..5000 (default 600, about what
                     the benchmarks' 640x360@15 fake camera reaches under the app's ${APP_FULL_LAYER_CAP_KBPS} kbps cap)
  --low-kbps K       SFU low (quarter-resolution) layer, 10..1000 (default ${APP_LOW_LAYER_KBPS}, the app's cap)
  --audio-kbps K     Opus-like audio, 6..510 (default 32)
  --fps F            video frames per second, 1..60 (default 15, the benchmarks' fake camera)
  --modes LIST       mesh,sfu (default both)
  --plain-rtp        SFU consumers send plain RTP (default: SRTP ${APP_SRTP_SUITE}, the app's suite)
  --time-budget S    start no new step after S seconds, 10..14400 (default 3600)
  --out DIR          output directory (default test-results/bench/synthetic)
Exit codes: 0 ok, 1 failed, 2 bad arguments, 130 interrupted (partial report written).`;

const options = {
  min: { type: 'string', default: '2' },
  max: { type: 'string', default: '16' },
  runs: { type: 'string', default: '3' },
  seconds: { type: 'string', default: '10' },
  kbps: { type: 'string', default: '600' },
  'low-kbps': { type: 'string', default: String(APP_LOW_LAYER_KBPS) },
  'audio-kbps': { type: 'string', default: '32' },
  fps: { type: 'string', default: '15' },
  modes: { type: 'string', default: 'mesh,sfu' },
  'plain-rtp': { type: 'boolean', default: false },
  'time-budget': { type: 'string', default: '3600' },
  out: { type: 'string', default: 'test-results/bench/synthetic' },
} as const;

const MODES: readonly Mode[] = ['mesh', 'sfu'];
const MODEL_TOLERANCE = 0.1;
/** Warm-up: until every sink receives and every SFU consumer forwards the full layer, at most this. */
const WARMUP_MAX_MS = 8_000;
const SETTLE_MS = 1_000;
/** After the senders stop, for what is in flight to reach the sinks. */
const DRAIN_MS = 300;

function configure(v: CliValues<typeof options>) {
  const s = (k: Exclude<keyof typeof options, 'plain-rtp'>) => v[k];
  const min = numberArg('min', s('min'), 2, 16);
  return {
    min,
    max: numberArg('max', s('max'), min, 16),
    runs: numberArg('runs', s('runs'), 1, 20),
    seconds: numberArg('seconds', s('seconds'), 1, 120, false),
    rates: {
      fullKbps: numberArg('kbps', s('kbps'), 50, 5000, false),
      lowKbps: numberArg('low-kbps', s('low-kbps'), 10, 1000, false),
      audioKbps: numberArg('audio-kbps', s('audio-kbps'), 6, 510, false),
      videoFps: numberArg('fps', s('fps'), 1, 60),
    } satisfies StreamRates,
    modes: listOf('modes', s('modes'), MODES),
    srtp: !v['plain-rtp'],
    timeBudgetS: numberArg('time-budget', s('time-budget'), 10, 14_400, false),
    outDir: resolve(s('out')),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'synthetic', usage: USAGE, options, configure, run };

type Mediasoup = Awaited<ReturnType<typeof loadMediasoup>>;

interface Rig {
  peers: SyntheticPeer[];
  mediasoup: Mediasoup | null;
  signal: AbortSignal;
}

const cpuMsOf = (pid: number) => {
  const s = processTreeCpu(pid);
  return s === null ? null : s * 1000;
};

/** Until every sink has packets and (SFU) every video consumer is on the full layer, bounded. */
async function warmUp(peers: SyntheticPeer[], sfu: SyntheticSfu | null, signal: AbortSignal): Promise<void> {
  const t0 = performance.now();
  let nudged = false;
  while (performance.now() - t0 < WARMUP_MAX_MS) {
    const snaps = await Promise.all(peers.map((p) => p.snapshot()));
    const layers = sfu?.fullLayerConsumers();
    if (snaps.every((s) => s.received.packets > 0) && (!layers || layers.onFull === layers.video)) break;
    if (sfu && !nudged && performance.now() - t0 > 3_000) {
      nudged = true;
      await sfu.preferFullLayer();
    }
    await sleep(200, undefined, { signal });
  }
  await sleep(SETTLE_MS, undefined, { signal });
}

async function runStep(rig: Rig, cfg: Config, mode: Mode, n: number, run: number): Promise<SyntheticStep> {
  if (rig.peers.length < n) rig.peers.push(...(await Promise.all(Array.from({ length: n - rig.peers.length }, () => SyntheticPeer.spawn()))));
  const peers = rig.peers.slice(0, n);
  let sfu: SyntheticSfu | null = null;
  try {
    let outputs: OutputSpec[][];
    if (mode === 'sfu') {
      rig.mediasoup ??= await loadMediasoup();
      sfu = await SyntheticSfu.open(rig.mediasoup, cfg.srtp ? APP_SRTP_SUITE : null);
      outputs = [];
      for (const [i, p] of peers.entries()) {
        const streams = sfuStreams(i, cfg.rates);
        outputs.push([{ port: await sfu.addParticipant(streams, p.sinkPort), streams }]);
      }
      await sfu.consumeAll();
    } else {
      outputs = peers.map((_, i) => peers.flatMap((q, j) => (i === j ? [] : [{ port: q.sinkPort, streams: meshStreams(i, j, cfg.rates) }])));
    }
    await Promise.all(peers.map((p, i) => p.start(outputs[i])));
    await warmUp(peers, sfu, rig.signal);

    const worker0 = sfu ? cpuMsOf(sfu.workerPid) : null;
    const bytes0 = sfu ? await sfu.transportBytes() : null;
    const w0 = performance.now();
    const start = await Promise.all(peers.map((p) => p.snapshot()));
    await sleep(cfg.seconds * 1000, undefined, { signal: rig.signal });
    const paused = await Promise.all(peers.map((p) => p.pause()));
    const worker1 = sfu ? cpuMsOf(sfu.workerPid) : null;
    const wallMs = performance.now() - w0;
    await sleep(DRAIN_MS);
    const drained = await Promise.all(peers.map((p) => p.snapshot()));
    const bytes1 = sfu ? await sfu.transportBytes() : null;
    const layers = sfu?.fullLayerConsumers() ?? null;

    // What each sink should have received: mesh, what the others sent to its port; SFU, the others' full layer and audio.
    const sentTo = (i: number) =>
      peers.reduce((acc, _, j) => {
        if (j === i) return acc;
        const port = mode === 'sfu' ? outputs[j][0].port : peers[i].sinkPort;
        return acc + packetsTo(start[j], paused[j], port, mode === 'sfu' ? ['audio', 'full'] : undefined);
      }, 0);
    const lastPause = Math.max(...paused.map((p) => p.t));
    const participants = peers.map((_, i) => participantFigures(start[i], paused[i], drained[i], sentTo(i), lastPause));
    // mediasoup's counters were read before the first participant's window and after the drain: over the senders' whole span.
    const spanMs = Math.max(1, lastPause - Math.min(...start.map((p) => p.t)));
    const kbpsOf = (a: number[] | undefined, b: number[] | undefined) => (a && b ? ((b.reduce((x, y) => x + y, 0) - a.reduce((x, y) => x + y, 0)) * 8) / spanMs : null);
    return {
      n,
      mode,
      run,
      seconds: wallMs / 1000,
      participants,
      workerCpuPct: worker0 !== null && worker1 !== null ? (100 * (worker1 - worker0)) / wallMs : null,
      sfuEgressKbps: sfu ? participants.reduce((a, p) => a + p.downloadKbps, 0) : null,
      sfuEgressMediasoupKbps: kbpsOf(bytes0?.sent, bytes1?.sent),
      sfuIngressMediasoupKbps: kbpsOf(bytes0?.received, bytes1?.received),
      fullLayerConsumers: layers,
      loadavg1: loadavg()[0],
    };
  } finally {
    await Promise.allSettled(peers.map((p) => p.stop()));
    sfu?.close();
  }
}

/** Each mode's participant upload as scheduled: RTP on the wire, RTCP aside. */
function scheduledUpload(cfg: Config): (mode: Mode, n: number) => number {
  const r = cfg.rates;
  const full = wireKbps({ kind: 'video', kbps: r.fullKbps, fps: r.videoFps });
  const audio = wireKbps({ kind: 'audio', kbps: r.audioKbps, fps: AUDIO_FPS });
  const low = wireKbps({ kind: 'video', kbps: r.lowKbps, fps: r.videoFps });
  return (mode, n) => (mode === 'mesh' ? (n - 1) * (full + audio) : full + low + audio);
}

function streamsText(cfg: Config): string {
  const r = cfg.rates;
  const wire = (kind: 'audio' | 'video', kbps: number, fps: number) => wireKbps({ kind, kbps, fps }).toFixed(1);
  return (
    `full layer ${r.fullKbps} kbps (${wire('video', r.fullKbps, r.videoFps)} on the wire), low layer ${r.lowKbps} kbps (${wire('video', r.lowKbps, r.videoFps)}), ` +
    `VP8 at ${r.videoFps} fps, audio ${r.audioKbps} kbps (${wire('audio', r.audioKbps, 50)}, 20 ms packets); mesh: full + audio per copy; ` +
    `SFU: low + full + audio once, consumers ${cfg.srtp ? `SRTP ${APP_SRTP_SUITE}` : 'plain RTP'}`
  );
}

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const startedAt = new Date();
  const loadavgBefore = loadavg();
  const command = `synthetic ${process.argv.slice(2).join(' ')}`.trim();
  const rig: Rig = { peers: [], mediasoup: null, signal };
  const steps: SyntheticStep[] = [];
  const skipped: string[] = [];
  const t0 = performance.now();
  log(`${SYNTHETIC_LABEL}: N=${cfg.min}..${cfg.max}, ${cfg.runs} run(s), modes ${cfg.modes.join(',')}, ${cfg.seconds}s per window\n  ${streamsText(cfg)}\n  ${WHAT_IT_MEASURES}`);
  try {
    outer: for (let n = cfg.min; n <= cfg.max; n++) {
      for (let r = 1; r <= cfg.runs; r++) {
        for (const mode of cfg.modes) {
          if (signal.aborted) break outer;
          if ((performance.now() - t0) / 1000 > cfg.timeBudgetS) {
            skipped.push(`from N=${n} run ${r} ${mode}: the time budget (${cfg.timeBudgetS} s) ran out`);
            break outer;
          }
          const step = await runStep(rig, cfg, mode, n, r).catch((err: unknown) => {
            if (signal.aborted) return null;
            throw err;
          });
          if (!step) {
            skipped.push(`N=${n} run ${r} ${mode}: interrupted`);
            break outer;
          }
          steps.push(step);
          const s = summarizeSynthetic(step);
          log(
            `  SYNTHETIC N=${n} run ${r} ${mode.padEnd(4)} up ${s.uploadKbps.toFixed(0)} kbps/p, down ${s.downloadKbps.toFixed(0)} kbps/p, CPU ${s.cpuPct.toFixed(1)}%/p` +
              (s.workerCpuPct === null ? '' : `, worker ${s.workerCpuPct.toFixed(1)}%`) +
              `, loss ${s.lossPct.toFixed(2)}%, dropped ${s.shortfallPct.toFixed(1)}%` +
              (step.fullLayerConsumers ? `, full layer ${step.fullLayerConsumers.onFull}/${step.fullLayerConsumers.video}` : '') +
              `, load ${step.loadavg1.toFixed(1)}`,
          );
        }
      }
    }
  } finally {
    for (const p of rig.peers) p.close();
  }
  const summaries = steps.map(summarizeSynthetic);
  const aggregates = aggregateSynthetic(summaries);
  const ratios = syntheticRatios(summaries, MODEL_TOLERANCE, scheduledUpload(cfg));
  const knees = cfg.modes.map((m) => syntheticKnee(aggregates, m, DEFAULT_KNEE_RULE));
  const loads = steps.map((s) => s.loadavg1);
  const loadRange: [number, number] | null = loads.length ? [Math.min(...loads), Math.max(...loads)] : null;
  const maxN = steps.length ? Math.max(...steps.map((s) => s.n)) : cfg.max;
  writeBenchJson(join(cfg.outDir, 'synthetic.json'), 'synthetic', { startedAt, interrupted: signal.aborted, loadavgBefore }, {
    synthetic: true,
    label: SYNTHETIC_LABEL,
    whatItMeasures: WHAT_IT_MEASURES,
    command,
    config: { ...cfg, srtpSuite: cfg.srtp ? APP_SRTP_SUITE : null },
    loadavgDuring: loadRange,
    modelTolerance: MODEL_TOLERANCE,
    kneeRule: { ...DEFAULT_KNEE_RULE, text: describeKneeRule(DEFAULT_KNEE_RULE) },
    skipped,
    results: { knees, uploadRatios: ratios, aggregates, summaries, steps },
  });
  const svgs = syntheticCharts(aggregates, ratios);
  writeFileSync(join(cfg.outDir, 'upload-vs-n.svg'), svgs.uploadSvg);
  writeFileSync(join(cfg.outDir, 'ratio-vs-n.svg'), svgs.ratioSvg);
  writeFileSync(join(cfg.outDir, 'cpu-vs-n.svg'), svgs.cpuSvg);
  const ctx = { startedAt: startedAt.toISOString(), command, runs: cfg.runs, seconds: cfg.seconds, streams: streamsText(cfg), cpus: cpus().length, loadavg: loadRange, maxN };
  writeFileSync(join(cfg.outDir, 'report.md'), syntheticMarkdown(aggregates, ratios, knees, ctx));
  log(`\n${formatConsole(aggregates, ratios, knees, maxN)}`);
  for (const s of skipped) log(`skipped ${s}`);
  log(`load average before ${loadavgBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log(`report: ${join(cfg.outDir, 'report.md')}\nJSON: ${join(cfg.outDir, 'synthetic.json')}`);
  return EXIT.ok;
}

startCli(spec);
