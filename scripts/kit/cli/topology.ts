// Topology benchmark: for N = min..max participants, in mesh and in SFU, real headless Chromium
// participants with distinct fake videos join one room; per step it measures upload/download,
// join time, fps per remote, RTT, browser and server CPU, SFU egress. Writes JSON, Markdown, SVG.
// Run: npx tsx scripts/kit/cli/topology.ts --start-server [--min 2 --max 4 --seconds 10] [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { BrowserSlot, qaUrl, QaParticipant, type Mode } from '../lib/browser/participant';
import { processTreeCpu } from '../lib/measure/proc';
import { readiness, sfuEgressBytes, startServer, type ServerHandle } from '../lib/server-process';
import { windowMetrics } from '../lib/measure/window-metrics';
import { DEFAULT_Y4M, parseVideoSpec, writeParticipantVideos } from '../lib/browser/y4m';
import { charts, markdownReport } from '../lib/report/topology-markdown';
import { formatKnee, formatTable, kneeOf, summarizeStep, uploadRatios, type StepParticipant, type TopologyStep } from '../lib/report/topology-report';

const HELP = `Usage: npx tsx scripts/kit/cli/topology.ts [options]
  --url URL          server to measure (default http://127.0.0.1:3000; loopback only)
  --start-server     spawn the server (NODE_ENV=production, free port, NEXT_DIST_DIR honoured) and stop it after
  --min N            smallest room (default 2)
  --max N            largest room (default 4, about 3-5 min on 2 cores; up to 6 = MESH_MAX_PEERS)
  --seconds S        measured window per step (default 10)
  --settle S         wait after everyone decodes everyone (bandwidth estimation ramps up), before measuring (default 5)
  --join-timeout S   per step, for everyone to decode everyone (default 45)
  --modes LIST       mesh,sfu (default both)
  --video WxH@FPS    fake video per participant (default 640x360@15)
  --out DIR          output directory (default test-results/bench/topology)`;

const { values: args } = parseArgs({
  options: {
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
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

function num(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) throw new RangeError(`--${name} must be within ${min}..${max}, got ${raw}`);
  return v;
}

const pct = (a: number | null, b: number | null, seconds: number) => (a === null || b === null || seconds <= 0 ? null : (100 * (b - a)) / seconds);

interface Rig {
  url: string;
  server: ServerHandle | null;
  slots: BrowserSlot[];
  files: string[];
  signal: AbortSignal;
}

async function runStep(rig: Rig, mode: Mode, n: number, o: { seconds: number; settle: number; joinTimeout: number }): Promise<TopologyStep> {
  while (rig.slots.length < n) rig.slots.push(await BrowserSlot.launch(rig.files[rig.slots.length]));
  const room = `topo-${mode}-${n}-${Math.random().toString(36).slice(2, 7)}`;
  const people = await Promise.all(rig.slots.slice(0, n).map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
  try {
    await Promise.all(people.map((p) => p.navigate(qaUrl(rig.url, room, mode, p.name, false))));
    const deadline = performance.now() + o.joinTimeout * 1000;
    const ok = await Promise.all(people.map((p) => p.waitForVideo(n - 1, deadline, rig.signal)));
    await sleep(o.settle * 1000, undefined, { signal: rig.signal }).catch(() => undefined);
    const cpu0 = people.map((p) => p.slot.cpuSeconds());
    const server0 = rig.server ? processTreeCpu(rig.server.pid) : null;
    const egress0 = await sfuEgressBytes(rig.url);
    const t0 = performance.now();
    const s0 = await Promise.all(people.map((p) => p.sample()));
    await sleep(o.seconds * 1000, undefined, { signal: rig.signal }).catch(() => undefined);
    const s1 = await Promise.all(people.map((p) => p.sample()));
    const cpu1 = people.map((p) => p.slot.cpuSeconds());
    const server1 = rig.server ? processTreeCpu(rig.server.pid) : null;
    const egress1 = await sfuEgressBytes(rig.url);
    const seconds = (performance.now() - t0) / 1000;
    const participants: StepParticipant[] = people.map((p, i) => {
      const a = s0[i];
      const b = s1[i] ?? p.last;
      return {
        name: p.name,
        status: b?.status ?? 'unknown',
        errorCode: b?.error?.code ?? null,
        joinMs: p.firstFrameMs,
        window: a && b ? windowMetrics(a, b, { a: cpu0[i], b: cpu1[i] }) : null,
      };
    });
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

async function main(): Promise<number> {
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const min = num('min', args.min, 2, 16);
  const max = num('max', args.max, min, 16);
  const o = { seconds: num('seconds', args.seconds, 1, 120), settle: num('settle', args.settle, 0, 30), joinTimeout: num('join-timeout', args['join-timeout'], 5, 180) };
  const modes = args.modes.split(',').map((m) => m.trim()) as Mode[];
  if (modes.length === 0 || modes.some((m) => m !== 'mesh' && m !== 'sfu')) throw new RangeError(`--modes must list mesh and/or sfu, got ${args.modes}`);
  const video = { ...parseVideoSpec(args.video), seconds: 4 };
  const outDir = resolve(args.out);
  const started = new Date();
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const dir = mkdtempSync(join(tmpdir(), 'topology-'));
  const rig: Rig = { url: args.url, server: null, slots: [], files: [], signal: ac.signal };
  const steps: TopologyStep[] = [];
  const skipped: string[] = [];
  try {
    if (args['start-server']) {
      rig.server = await startServer();
      rig.url = rig.server.url;
    } else if (!/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(rig.url)) {
      throw new RangeError(`--url must be a loopback address, got ${rig.url}`);
    }
    const ready = await readiness(rig.url);
    if (!ready.sfu && modes.includes('sfu')) skipped.push(`sfu: unavailable (${ready.reason ?? 'unknown'})`);
    rig.files = writeParticipantVideos(dir, max, video);
    console.log(`topology: N=${min}..${max}, modes ${modes.join(',')}, ${o.seconds}s per step, video ${args.video}, against ${rig.url}${rig.server ? ` (server pid ${rig.server.pid})` : ''}`);
    for (let n = min; n <= max && !ac.signal.aborted; n++) {
      for (const mode of modes) {
        if (ac.signal.aborted || (mode === 'sfu' && !ready.sfu)) continue;
        const step = await runStep(rig, mode, n, o);
        steps.push(step);
        const s = summarizeStep(step);
        console.log(
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
  const ctx = { startedAt: started.toISOString(), url: rig.url, seconds: o.seconds, video: args.video, cpus: cpus().length, maxN: max, loadavg: loads.length ? [Math.min(...loads), Math.max(...loads)] as [number, number] : null };
  mkdirSync(outDir, { recursive: true });
  const report = {
    benchmark: 'topology',
    schemaVersion: 1,
    startedAt: ctx.startedAt,
    finishedAt: new Date().toISOString(),
    interrupted: ac.signal.aborted,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgAfter: loadavg() },
    config: { min, max, modes, ...o, video, url: rig.url, startedServer: args['start-server'] },
    skipped,
    steps,
    summaries,
    uploadRatios: uploadRatios(summaries),
    knees,
  };
  writeFileSync(join(outDir, 'topology.json'), `${JSON.stringify(report, null, 2)}\n`);
  const { uploadSvg, fpsSvg } = charts(summaries);
  writeFileSync(join(outDir, 'upload-vs-n.svg'), uploadSvg);
  writeFileSync(join(outDir, 'fps-vs-n.svg'), fpsSvg);
  writeFileSync(join(outDir, 'report.md'), markdownReport(summaries, ctx));
  console.log(`\n${formatTable(summaries)}\n\n${formatKnee(knees.mesh, max)}\n${formatKnee(knees.sfu, max)}`);
  for (const s of skipped) console.log(`skipped ${s}`);
  console.log(`report: ${join(outDir, 'report.md')}\nJSON: ${join(outDir, 'topology.json')}`);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return ac.signal.aborted ? 130 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('topology failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
