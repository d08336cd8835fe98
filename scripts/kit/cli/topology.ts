// Topology benchmark: for N = min..max participants, --runs times each, in mesh and in SFU (back
// to back within a run), real headless Chromium participants with distinct fake videos join one
// room; once everyone decodes everyone and every participant's upload has settled (settle rule,
// lib/measure/settle.ts, with a cap), it measures a window: upload/download and what it is made of
// (layers), join time, fps per remote, RTT, browser and server CPU, SFU egress. Reports medians
// over runs with their spread, the mesh/SFU ratio against the cost model, the knees with their rule.
// Run: npx tsx scripts/kit/cli/topology.ts --start-server [--min 2 --max 6 --runs 3] [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { waitSettled } from '../lib/browser/wait-settled';
import { DEFAULT_Y4M, parseContent, parseVideoSpec, writeParticipantVideos, type Y4mOptions } from '../lib/browser/y4m';
import { asUsage, EXIT, listOf, loopbackUrl, numberArg, startCli, type CliContext, type CliSpec } from '../lib/cli';
import { layerRates, outgoingEstimateKbps } from '../lib/measure/layer-rates';
import { processTreeCpu } from '../lib/measure/proc';
import { describeSettleRule, type SettleRule } from '../lib/measure/settle';
import { windowMetrics } from '../lib/measure/window-metrics';
import { charts, markdownReport, ratioLines } from '../lib/report/topology-markdown';
import {
  aggregateRuns,
  formatFixed,
  formatKnee,
  formatTable,
  kneeOf,
  ratioHeader,
  ratioRows,
  ratioTableRows,
  summarizeStep,
  type SettleOutcome,
  type StepParticipant,
  type TopologyStep,
} from '../lib/report/topology-report';
import { readiness, sfuEgressBytes, startServer, type ServerHandle } from '../lib/server-process';

const USAGE = `Usage: npx tsx scripts/kit/cli/topology.ts [options]
  --url URL          server to measure (default http://127.0.0.1:3000; loopback only)
  --start-server     spawn the server (NODE_ENV=production, free port, NEXT_DIST_DIR honoured) and stop it after
  --min N            smallest room, 2..16 (default 2)
  --max N            largest room, min..16 (default 6 = MESH_MAX_PEERS, where mesh stops; about 30-45 min on 2 cores with 3 runs)
  --runs R           repetitions of every (N, mode) step, 1..20 (default 3); medians and min-max over runs
  --seconds S        measured window per step, 1..120 (default 10)
  --settle S         at least this long after everyone decodes everyone before the window, 0..60 (default 0)
  --settle-samples K upload is settled when, for every participant, the last K 1-s upload rates are each
                     within the tolerance of their mean and that mean within it of the K before, 2..30 (default 5)
  --settle-tolerance PCT  that tolerance, percent, 1..50 (default 10)
  --settle-max S     the longest wait for a settled upload; the window is then measured anyway and
                     the report says so, 5..600 (default 60)
  --join-timeout S   per step, for everyone to decode everyone, 5..180 (default 45)
  --modes LIST       mesh,sfu (default both)
  --video WxH@FPS    fake video per participant (default 640x360@15)
  --content C        what that video shows: pattern (default) or noise (the pattern with fresh noise
                     on every frame: asks for more bits than the caps, so congestion control and the
                     caps set the upload instead of the picture)
  --out DIR          output directory (default test-results/bench/topology)
Exit codes: 0 ok, 1 failed, 2 bad arguments, 130 interrupted (partial report written).`;

const options = {
  url: { type: 'string', default: 'http://127.0.0.1:3000' },
  'start-server': { type: 'boolean', default: false },
  min: { type: 'string', default: '2' },
  max: { type: 'string', default: '6' },
  runs: { type: 'string', default: '3' },
  seconds: { type: 'string', default: '10' },
  settle: { type: 'string', default: '0' },
  'settle-samples': { type: 'string', default: '5' },
  'settle-tolerance': { type: 'string', default: '10' },
  'settle-max': { type: 'string', default: '60' },
  'join-timeout': { type: 'string', default: '45' },
  modes: { type: 'string', default: 'mesh,sfu' },
  video: { type: 'string', default: `${DEFAULT_Y4M.width}x${DEFAULT_Y4M.height}@${DEFAULT_Y4M.fps}` },
  content: { type: 'string', default: 'pattern' },
  out: { type: 'string', default: 'test-results/bench/topology' },
} as const;

/** Mesh rooms hold at most this many (the server's MESH_MAX_PEERS default): larger mesh steps are skipped. */
const MESH_MAX_PEERS = 6;
/** The model verdict's tolerance: the measured ratio within ±10 % of the expected one. */
const MODEL_TOLERANCE = 0.1;

interface StepOptions {
  seconds: number;
  settle: number;
  settleRule: SettleRule;
  settleMax: number;
  joinTimeout: number;
}

interface Config extends StepOptions {
  url: string;
  startServer: boolean;
  min: number;
  max: number;
  runs: number;
  modes: Mode[];
  videoSpec: string;
  video: Required<Y4mOptions>;
  outDir: string;
}

const spec: CliSpec<typeof options, Config> = {
  name: 'topology',
  usage: USAGE,
  options,
  configure(v) {
    const min = numberArg('min', v.min, 2, 16);
    return {
      url: loopbackUrl('url', v.url),
      startServer: v['start-server'],
      min,
      max: numberArg('max', v.max, min, 16),
      runs: numberArg('runs', v.runs, 1, 20),
      seconds: numberArg('seconds', v.seconds, 1, 120, false),
      settle: numberArg('settle', v.settle, 0, 60, false),
      settleRule: {
        samples: numberArg('settle-samples', v['settle-samples'], 2, 30),
        tolerance: numberArg('settle-tolerance', v['settle-tolerance'], 1, 50, false) / 100,
      },
      settleMax: numberArg('settle-max', v['settle-max'], 5, 600, false),
      joinTimeout: numberArg('join-timeout', v['join-timeout'], 5, 180, false),
      modes: listOf('modes', v.modes, MODES),
      videoSpec: v.video,
      video: { ...asUsage('video', () => parseVideoSpec(v.video)), seconds: 4, content: asUsage('content', () => parseContent(v.content)) },
      outDir: resolve(v.out),
    };
  },
  run,
};

const pct = (a: number | null, b: number | null, seconds: number) => (a === null || b === null || seconds <= 0 ? null : (100 * (b - a)) / seconds);

interface Rig {
  url: string;
  server: ServerHandle | null;
  slots: BrowserSlot[];
  files: string[];
  signal: AbortSignal;
}

async function settleStep(people: QaParticipant[], o: StepOptions, signal: AbortSignal): Promise<SettleOutcome> {
  const r = await waitSettled(people, { rule: o.settleRule, minSeconds: o.settle, capSeconds: o.settleMax }, signal);
  return { rule: o.settleRule, settled: r.settled, seconds: r.seconds, capSeconds: o.settleMax, rates: r.rates };
}

async function runStep(rig: Rig, mode: Mode, n: number, run: number, o: StepOptions, log: (line: string) => void): Promise<TopologyStep> {
  while (rig.slots.length < n) rig.slots.push(await BrowserSlot.launch(rig.files[rig.slots.length]));
  const room = `topo-${mode}-${n}-${Math.random().toString(36).slice(2, 7)}`;
  const people = await Promise.all(rig.slots.slice(0, n).map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
  try {
    const watch = { expectedPeers: n - 1, timeoutMs: o.joinTimeout * 1000, signal: rig.signal };
    await Promise.all(people.map((p) => p.navigate(roomUrl(rig.url, room, { mode, name: p.name, autojoin: true }), watch)));
    const joins = await Promise.all(people.map((p) => p.joined()));
    joins.forEach((j, i) => {
      if (!j.ok && !rig.signal.aborted) log(`  N=${n} ${mode}: ${people[i].name} could not join: ${j.error.code}: ${j.error.message}`);
    });
    const ok = await Promise.all(people.map((p) => p.decodingAll()));
    const settle = await settleStep(people, o, rig.signal);
    const cpu0 = people.map((p) => p.slot.cpuSeconds());
    const server0 = rig.server ? processTreeCpu(rig.server.pid) : null;
    const egress0 = await sfuEgressBytes(rig.url);
    const t0 = performance.now();
    // The window runs from each page's latest sample now to its latest sample at the end.
    const since = await Promise.all(people.map(async (p) => (await p.read())?.sample?.timestamp ?? null));
    await sleep(o.seconds * 1000, undefined, { signal: rig.signal }).catch(() => undefined);
    const samples = await Promise.all(people.map((p, i) => p.samplesSince(since[i])));
    const cpu1 = people.map((p) => p.slot.cpuSeconds());
    const server1 = rig.server ? processTreeCpu(rig.server.pid) : null;
    const egress1 = await sfuEgressBytes(rig.url);
    const seconds = (performance.now() - t0) / 1000;
    const readings = await Promise.all(people.map(async (p) => (await p.read()) ?? p.last));
    const participants: StepParticipant[] = people.map((p, i) => ({
      name: p.name,
      status: readings[i]?.status ?? 'unknown',
      errorCode: readings[i]?.error?.code ?? p.joinError?.code ?? null,
      joinMs: p.firstFrameMs,
      window: windowMetrics(samples[i], { a: cpu0[i], b: cpu1[i], seconds }),
      layers: layerRates(samples[i]),
      outgoingEstimateKbps: outgoingEstimateKbps(samples[i]),
      uploadTrace: samples[i].map((x) => ({
        timestamp: x.timestamp,
        upload: x.upload,
        layers: x.layers.map((l) => ({
          connectionId: l.connectionId,
          peerId: l.peerId,
          rid: l.rid,
          kbps: l.kbps,
          width: l.width,
          height: l.height,
          qualityLimitationReason: l.qualityLimitationReason,
          ...((l as { source?: string }).source ? { source: (l as { source?: string }).source } : {}),
        })),
      })),
    }));
    return {
      n,
      mode,
      run,
      settle,
      complete: ok.every(Boolean),
      participants,
      serverCpuPct: pct(server0, server1, seconds),
      sfuEgressKbps: mode === 'sfu' && egress0 !== null && egress1 !== null ? ((egress1 - egress0) * 8) / seconds / 1000 : null,
      loadavg1: loadavg()[0],
    };
  } finally {
    await Promise.all(people.map((p) => p.leave()));
    // Give the server a moment to tear the room down before the next step's traffic starts.
    await sleep(1_000);
  }
}

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const started = new Date();
  const command = `topology ${process.argv.slice(2).join(' ')}`.trim();
  const dir = mkdtempSync(join(tmpdir(), 'topology-'));
  const rig: Rig = { url: cfg.url, server: null, slots: [], files: [], signal };
  const steps: TopologyStep[] = [];
  const skipped: string[] = [];
  const settleRule = describeSettleRule(cfg.settleRule, cfg.settleMax);
  try {
    if (cfg.startServer) {
      rig.server = await startServer();
      rig.url = rig.server.url;
    }
    const ready = await readiness(rig.url);
    if (!ready.sfu && cfg.modes.includes('sfu')) skipped.push(`sfu: unavailable (${ready.reason ?? 'unknown'})`);
    if (cfg.modes.includes('mesh') && cfg.max > MESH_MAX_PEERS) skipped.push(`mesh above N=${MESH_MAX_PEERS}: the server's MESH_MAX_PEERS`);
    rig.files = writeParticipantVideos(dir, cfg.max, cfg.video);
    log(
      `topology: N=${cfg.min}..${cfg.max}, ${cfg.runs} run(s), modes ${cfg.modes.join(',')}, ${cfg.seconds}s per window, video ${cfg.videoSpec} (${cfg.video.content}), ` +
        `against ${rig.url}${rig.server ? ` (server pid ${rig.server.pid})` : ''}\n  ${settleRule}`,
    );
    for (let n = cfg.min; n <= cfg.max && !signal.aborted; n++) {
      for (let r = 1; r <= cfg.runs && !signal.aborted; r++) {
        for (const mode of cfg.modes) {
          if (signal.aborted || (mode === 'sfu' && !ready.sfu) || (mode === 'mesh' && n > MESH_MAX_PEERS)) continue;
          const step = await runStep(rig, mode, n, r, cfg, log);
          if (signal.aborted) {
            // Cut short: its wait and window are not what the others measured, so it is left out.
            skipped.push(`N=${n} run ${r} ${mode}: interrupted`);
            break;
          }
          steps.push(step);
          const s = summarizeStep(step);
          const settled = step.settle ? (step.settle.settled ? `settled in ${step.settle.seconds.toFixed(0)} s` : `NOT settled after ${step.settle.seconds.toFixed(0)} s (cap)`) : '';
          log(
            `  N=${n} run ${r} ${mode.padEnd(4)} up ${s.uploadKbps.toFixed(0)} kbps/p, fps/remote ${s.fpsPerRemote.toFixed(1)}, ` +
              `join p50 ${s.joinP50Ms.toFixed(0)} ms, CPU ${s.browserCpuPct.toFixed(0)}%/browser, server ${s.serverCpuPct === null ? '-' : s.serverCpuPct.toFixed(0)}%, ${settled}, load ${(step.loadavg1 ?? NaN).toFixed(1)}` +
              (step.complete ? '' : ' (not everyone decoded everyone)'),
          );
        }
      }
    }
  } finally {
    await Promise.all(rig.slots.map((s) => s.close()));
    await rig.server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summaries = steps.map(summarizeStep);
  const aggregates = aggregateRuns(summaries);
  const ratios = ratioRows(summaries, MODEL_TOLERANCE);
  const knees = { mesh: kneeOf(aggregates, 'mesh', 0.9, summaries), sfu: kneeOf(aggregates, 'sfu', 0.9, summaries) };
  const loads = steps.map((s) => s.loadavg1 ?? NaN).filter(Number.isFinite);
  const ctx = {
    startedAt: started.toISOString(),
    url: rig.url,
    seconds: cfg.seconds,
    video: `${cfg.videoSpec} (${cfg.video.content})`,
    cpus: cpus().length,
    maxN: cfg.max,
    runs: cfg.runs,
    settleRule,
    command,
    tolerance: MODEL_TOLERANCE,
    loadavg: loads.length ? ([Math.min(...loads), Math.max(...loads)] as [number, number]) : null,
  };
  mkdirSync(cfg.outDir, { recursive: true });
  const { min, max, runs, modes, seconds, settle, settleRule: rule, settleMax, joinTimeout, video } = cfg;
  const report = {
    benchmark: 'topology',
    schemaVersion: 2,
    command,
    startedAt: ctx.startedAt,
    finishedAt: new Date().toISOString(),
    interrupted: signal.aborted,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgAfter: loadavg(), loadavgDuring: ctx.loadavg },
    config: { min, max, runs, modes, seconds, settle, settleRule: rule, settleMax, joinTimeout, video, url: rig.url, startedServer: cfg.startServer },
    settleRule,
    modelTolerance: MODEL_TOLERANCE,
    skipped,
    steps,
    summaries,
    aggregates,
    uploadRatios: ratios,
    knees,
  };
  writeFileSync(join(cfg.outDir, 'topology.json'), `${JSON.stringify(report, null, 2)}\n`);
  const svgs = charts(aggregates, ratios);
  writeFileSync(join(cfg.outDir, 'upload-vs-n.svg'), svgs.uploadSvg);
  writeFileSync(join(cfg.outDir, 'ratio-vs-n.svg'), svgs.ratioSvg);
  writeFileSync(join(cfg.outDir, 'fps-vs-n.svg'), svgs.fpsSvg);
  writeFileSync(join(cfg.outDir, 'cpu-vs-n.svg'), svgs.cpuSvg);
  writeFileSync(join(cfg.outDir, 'report.md'), markdownReport(summaries, ctx));
  log(
    `\n${formatTable(aggregates)}\n\n${formatFixed(ratioHeader(MODEL_TOLERANCE), ratioTableRows(ratios))}\n\n` +
      `${ratioLines(ratios).join('\n')}\n\n${formatKnee(knees.mesh, cfg.max)}\n${formatKnee(knees.sfu, cfg.max)}`,
  );
  for (const s of skipped) log(`skipped ${s}`);
  log(`report: ${join(cfg.outDir, 'report.md')}\nJSON: ${join(cfg.outDir, 'topology.json')}`);
  return EXIT.ok;
}

startCli(spec);
