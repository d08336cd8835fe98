// Topology benchmark: for N = min..max participants, in mesh and in SFU, real headless Chromium
// participants with distinct fake videos join one room; per step it measures upload/download,
// join time, fps per remote, RTT, browser and server CPU, SFU egress. Writes JSON, Markdown, SVG.
// Run: npx tsx scripts/kit/cli/topology.ts --start-server [--min 2 --max 4 --seconds 10] [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { DEFAULT_Y4M, parseVideoSpec, writeParticipantVideos } from '../lib/browser/y4m';
import { asUsage, EXIT, listOf, loopbackUrl, numberArg, startCli, type CliContext, type CliSpec } from '../lib/cli';
import { processTreeCpu } from '../lib/measure/proc';
import { windowMetrics } from '../lib/measure/window-metrics';
import { charts, markdownReport } from '../lib/report/topology-markdown';
import { formatKnee, formatTable, kneeOf, summarizeStep, uploadRatios, type StepParticipant, type TopologyStep } from '../lib/report/topology-report';
import { readiness, sfuEgressBytes, startServer, type ServerHandle } from '../lib/server-process';

const USAGE = `Usage: npx tsx scripts/kit/cli/topology.ts [options]
  --url URL          server to measure (default http://127.0.0.1:3000; loopback only)
  --start-server     spawn the server (NODE_ENV=production, free port, NEXT_DIST_DIR honoured) and stop it after
  --min N            smallest room, 2..16 (default 2)
  --max N            largest room, min..16 (default 4, about 3-5 min on 2 cores; mesh stops at MESH_MAX_PEERS = 6)
  --seconds S        measured window per step, 1..120 (default 10)
  --settle S         wait after everyone decodes everyone (bandwidth estimation ramps up), before measuring, 0..30 (default 5)
  --join-timeout S   per step, for everyone to decode everyone, 5..180 (default 45)
  --modes LIST       mesh,sfu (default both)
  --video WxH@FPS    fake video per participant (default 640x360@15)
  --out DIR          output directory (default test-results/bench/topology)
Exit codes: 0 ok, 1 failed, 2 bad arguments, 130 interrupted (partial report written).`;

const options = {
  url: { type: 'string', default: 'http://127.0.0.1:3000' },
  'start-server': { type: 'boolean', default: false },
  min: { type: 'string', default: '2' },
  max: { type: 'string', default: '4' },
  seconds: { type: 'string', default: '10' },
  settle: { type: 'string', default: '5' },
  'join-timeout': { type: 'string', default: '45' },
  modes: { type: 'string', default: 'mesh,sfu' },
  video: { type: 'string', default: `${DEFAULT_Y4M.width}x${DEFAULT_Y4M.height}@${DEFAULT_Y4M.fps}` },
  out: { type: 'string', default: 'test-results/bench/topology' },
} as const;

interface StepOptions {
  seconds: number;
  settle: number;
  joinTimeout: number;
}

interface Config extends StepOptions {
  url: string;
  startServer: boolean;
  min: number;
  max: number;
  modes: Mode[];
  videoSpec: string;
  video: ReturnType<typeof parseVideoSpec> & { seconds: number };
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
      seconds: numberArg('seconds', v.seconds, 1, 120, false),
      settle: numberArg('settle', v.settle, 0, 30, false),
      joinTimeout: numberArg('join-timeout', v['join-timeout'], 5, 180, false),
      modes: listOf('modes', v.modes, MODES),
      videoSpec: v.video,
      video: { ...asUsage('video', () => parseVideoSpec(v.video)), seconds: 4 },
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

async function runStep(rig: Rig, mode: Mode, n: number, o: StepOptions, log: (line: string) => void): Promise<TopologyStep> {
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
    await sleep(o.settle * 1000, undefined, { signal: rig.signal }).catch(() => undefined);
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
    }));
    return {
      n,
      mode,
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
  const dir = mkdtempSync(join(tmpdir(), 'topology-'));
  const rig: Rig = { url: cfg.url, server: null, slots: [], files: [], signal };
  const steps: TopologyStep[] = [];
  const skipped: string[] = [];
  try {
    if (cfg.startServer) {
      rig.server = await startServer();
      rig.url = rig.server.url;
    }
    const ready = await readiness(rig.url);
    if (!ready.sfu && cfg.modes.includes('sfu')) skipped.push(`sfu: unavailable (${ready.reason ?? 'unknown'})`);
    rig.files = writeParticipantVideos(dir, cfg.max, cfg.video);
    log(`topology: N=${cfg.min}..${cfg.max}, modes ${cfg.modes.join(',')}, ${cfg.seconds}s per step, video ${cfg.videoSpec}, against ${rig.url}${rig.server ? ` (server pid ${rig.server.pid})` : ''}`);
    for (let n = cfg.min; n <= cfg.max && !signal.aborted; n++) {
      for (const mode of cfg.modes) {
        if (signal.aborted || (mode === 'sfu' && !ready.sfu)) continue;
        const step = await runStep(rig, mode, n, cfg, log);
        steps.push(step);
        const s = summarizeStep(step);
        log(
          `  N=${n} ${mode.padEnd(4)} up ${s.uploadKbps.toFixed(0)} kbps/p, fps/remote ${s.fpsPerRemote.toFixed(1)}, ` +
            `join p50 ${s.joinP50Ms.toFixed(0)} ms, browser CPU ${s.browserCpuPct.toFixed(0)}%${step.complete ? '' : ' (not everyone decoded everyone)'}`,
        );
      }
    }
  } finally {
    await Promise.all(rig.slots.map((s) => s.close()));
    await rig.server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summaries = steps.map(summarizeStep);
  const knees = { mesh: kneeOf(summaries, 'mesh'), sfu: kneeOf(summaries, 'sfu') };
  const loads = steps.map((s) => s.loadavg1 ?? NaN).filter(Number.isFinite);
  const ctx = {
    startedAt: started.toISOString(),
    url: rig.url,
    seconds: cfg.seconds,
    video: cfg.videoSpec,
    cpus: cpus().length,
    maxN: cfg.max,
    loadavg: loads.length ? ([Math.min(...loads), Math.max(...loads)] as [number, number]) : null,
  };
  mkdirSync(cfg.outDir, { recursive: true });
  const { min, max, modes, seconds, settle, joinTimeout, video } = cfg;
  const report = {
    benchmark: 'topology',
    schemaVersion: 1,
    startedAt: ctx.startedAt,
    finishedAt: new Date().toISOString(),
    interrupted: signal.aborted,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgAfter: loadavg() },
    config: { min, max, modes, seconds, settle, joinTimeout, video, url: rig.url, startedServer: cfg.startServer },
    skipped,
    steps,
    summaries,
    uploadRatios: uploadRatios(summaries),
    knees,
  };
  writeFileSync(join(cfg.outDir, 'topology.json'), `${JSON.stringify(report, null, 2)}\n`);
  const { uploadSvg, fpsSvg } = charts(summaries);
  writeFileSync(join(cfg.outDir, 'upload-vs-n.svg'), uploadSvg);
  writeFileSync(join(cfg.outDir, 'fps-vs-n.svg'), fpsSvg);
  writeFileSync(join(cfg.outDir, 'report.md'), markdownReport(summaries, ctx));
  log(`\n${formatTable(summaries)}\n\n${formatKnee(knees.mesh, cfg.max)}\n${formatKnee(knees.sfu, cfg.max)}`);
  for (const s of skipped) log(`skipped ${s}`);
  log(`report: ${join(cfg.outDir, 'report.md')}\nJSON: ${join(cfg.outDir, 'topology.json')}`);
  return EXIT.ok;
}

startCli(spec);
