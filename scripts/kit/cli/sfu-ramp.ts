// SFU ramp benchmark: how fast a participant's upload reaches its steady value after joining, what
// that steady upload is made of, and what resolution everyone receives, mesh beside SFU, on an idle
// machine and on one deliberately loaded with a bounded busy loop per core (where users saw SFU
// video collapse to thumbnails). N participants join together; each is watched for a fixed window
// from its join; modes take turns within a run. Figures: lib/measure/ramp.ts.
// Run: npm run bench:sfu-ramp -- [--peers N] [--runs R] [--load idle|loaded|both] [--modes mesh,sfu] [--content noise|pattern]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { DEFAULT_Y4M, parseContent, writeParticipantVideos } from '../lib/browser/y4m';
import { asUsage, EXIT, listOf, loopbackUrl, numberArg, oneOf, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { aggregate, describeRule, participantRamp, RAMP_GOAL_S, RAMP_RULE, rampTable, resolutionVerdicts, type RampRule, type RampStep } from '../lib/measure/ramp';
import { writeBenchJson } from '../lib/report/bench-json';
import { startServer, type ServerHandle } from '../lib/server-process';

const USAGE = `Usage: npm run bench:sfu-ramp -- [options]
  --peers N        participants per call (default 4, 2 to 6)
  --runs R         repeats of every mode and load condition (default 3)
  --modes LIST     comma-separated, of mesh, sfu (default both)
  --load L         idle, loaded or both (default both); loaded = one bounded busy loop per core
                   while the call runs, started and stopped by the benchmark
  --window S       seconds each participant is watched from its join (default ${RAMP_RULE.windowS})
  --steady S       the window's last seconds that define the steady upload (default ${RAMP_RULE.steadyS})
  --join-timeout S a call whose participants have not all joined by then counts as failed (default 45)
  --content C      the generated videos: noise (default) or pattern. noise = the pattern with fresh
                   noise on every frame, which asks for more bits than the caps, so the upload is set
                   by congestion control and the caps; with pattern VP8 sits at its minimum quantizer
                   and the upload follows the picture, so a ramp would measure the encoder
  --url URL        a running server on this machine (default: start one on a free port)
  --out FILE       JSON output (default test-results/bench/sfu-ramp.json)
Starts one headless Chromium per participant (each with its own generated 640x360 video).
Exit codes: 0 ok (whatever the figures), 1 failed, 2 bad arguments, 130 interrupted.`;

const options = {
  peers: { type: 'string', default: '4' },
  runs: { type: 'string', default: '3' },
  modes: { type: 'string', default: 'mesh,sfu' },
  load: { type: 'string', default: 'both' },
  window: { type: 'string', default: String(RAMP_RULE.windowS) },
  steady: { type: 'string', default: String(RAMP_RULE.steadyS) },
  'join-timeout': { type: 'string', default: '45' },
  content: { type: 'string', default: 'noise' },
  url: { type: 'string' },
  out: { type: 'string', default: 'test-results/bench/sfu-ramp.json' },
} as const;

const CALL_MODES = MODES.filter((m): m is 'mesh' | 'sfu' => m === 'mesh' || m === 'sfu');

function configure(v: CliValues<typeof options>) {
  const windowS = numberArg('window', v.window, 5, 300);
  const steadyS = numberArg('steady', v.steady, 2, 300);
  if (steadyS >= windowS) throw new RangeError(`--steady (${steadyS}) must be shorter than --window (${windowS})`);
  const load = oneOf('load', v.load, ['idle', 'loaded', 'both'] as const);
  return {
    peers: numberArg('peers', v.peers, 2, 6),
    runs: numberArg('runs', v.runs, 1, 20),
    modes: listOf('modes', v.modes, CALL_MODES),
    loads: load === 'both' ? [false, true] : [load === 'loaded'],
    rule: { ...RAMP_RULE, windowS, steadyS } satisfies RampRule,
    joinTimeoutS: numberArg('join-timeout', v['join-timeout'], 5, 300),
    content: asUsage('content', () => parseContent(v.content)),
    url: v.url === undefined ? null : loopbackUrl('url', v.url),
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'sfu-ramp', usage: USAGE, options, configure, run };

/**
 * One busy loop per core, each bounded by `timeout` so none outlives a crashed benchmark, and sent
 * SIGTERM when this process exits by any other way than the normal stop (a wrapper killing it).
 */
function startLoad(boundS: number): ChildProcess[] {
  const loops = cpus().map(() => spawn('timeout', [String(Math.ceil(boundS)), 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }));
  const onExit = () => loops.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGTERM'));
  process.once('exit', onExit);
  loops.forEach((c) => c.once('exit', () => loops.every((l) => l.exitCode !== null || l.signalCode !== null) && process.off('exit', onExit)));
  return loops;
}

/** SIGTERM to `timeout`, which passes it on to its loop; resolves once every one has exited. */
async function stopLoad(loops: ChildProcess[]): Promise<void> {
  await Promise.all(
    loops.map((c) => {
      if (c.exitCode !== null || c.signalCode !== null) return undefined;
      const gone = new Promise<void>((done) => c.once('exit', () => done()));
      c.kill('SIGTERM');
      return gone;
    }),
  );
}

// A plain JS string: a function compiled by tsx may carry helpers the page lacks.
const JOIN_AT_JS = `(() => {
  const c = window.__call;
  if (!c) return null;
  const s = c.getSnapshot();
  const joined = s.joinWaterfall && s.joinWaterfall.steps.find((x) => x.name === 'joined');
  return { selfId: s.selfId, joinedAt: joined && joined.atMs !== null && s.joinWaterfall.fromNavigation ? performance.timeOrigin + joined.atMs : null, navigatedAt: performance.timeOrigin };
})()`;

async function oneStep(slots: BrowserSlot[], base: string, mode: Mode, loaded: boolean, run: number, cfg: Config, ctx: CliContext): Promise<RampStep> {
  const { signal } = ctx;
  const loadStart = loadavg()[0];
  const loops = loaded ? startLoad(cfg.joinTimeoutS + cfg.rule.windowS + 30) : [];
  const room = `ramp-${mode}-${Math.random().toString(36).slice(2, 8)}`;
  const parts = await Promise.all(slots.map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
  try {
    await Promise.all(parts.map((p) => p.navigate(roomUrl(base, room, { mode, name: p.name, autojoin: true }), { expectedPeers: parts.length - 1, timeoutMs: cfg.joinTimeoutS * 1000, signal })));
    const joins = await Promise.all(parts.map((p) => p.joined()));
    const failed = joins.findIndex((j) => !j.ok);
    if (failed >= 0) {
      const j = joins[failed];
      throw new Error(`${parts[failed].name} could not join: ${j.ok ? '' : `${j.error.code} ${j.error.message}`}`);
    }
    const marks = await Promise.all(parts.map(async (p) => (await p.page.evaluate(JOIN_AT_JS).catch(() => null)) as { selfId: string | null; joinedAt: number | null; navigatedAt: number } | null));
    const joinAt = marks.map((m) => m?.joinedAt ?? m?.navigatedAt ?? Date.now());
    const names: Record<string, string> = {};
    marks.forEach((m, i) => m?.selfId && (names[m.selfId] = parts[i].name));
    // The last participant's window ends last; one more sample interval so its final sample is in.
    const waitMs = Math.max(...joinAt) + cfg.rule.windowS * 1000 + 1_500 - Date.now();
    await sleep(Math.max(0, waitMs), undefined, { signal }).catch(() => undefined);
    if (signal.aborted) throw new Error('interrupted');
    const samples = await Promise.all(parts.map((p) => p.samplesSince(null)));
    return {
      mode: mode as 'mesh' | 'sfu',
      loaded,
      run,
      loadavg: [loadStart, loadavg()[0]],
      participants: parts.map((p, i) => participantRamp(p.name, samples[i], joinAt[i], names, cfg.rule)),
    };
  } finally {
    await Promise.all(parts.map((p) => p.leave()));
    await stopLoad(loops);
  }
}

function stepLine(s: RampStep): string {
  const head = `run ${s.run} ${s.mode} ${s.loaded ? 'loaded' : 'idle'} (load average ${s.loadavg.map((l) => l.toFixed(1)).join(' → ')})`;
  if (s.error) return `  ${head}: ${s.error}`;
  const ps = s.participants.map((p) => {
    const ramp = `${p.rampS === null ? 'not steady' : `${p.rampS.toFixed(1)} s`}${p.steadyTail ? '' : ' (still moving)'}`;
    const layer = p.highLayerKbps !== null ? ` full ${Math.round(p.highLayerKbps)}/low ${Math.round(p.lowLayerKbps ?? 0)}` : p.perCopyKbps !== null ? ` copy ${Math.round(p.perCopyKbps)}` : '';
    const rx = p.received.map((r) => `${r.from} ${r.width ?? '-'}`).join(',');
    return `${p.name}: ${ramp}, ${p.steadyKbps === null ? '-' : Math.round(p.steadyKbps)} kbps${layer}, est ${p.availableOutgoingKbps === null ? '-' : Math.round(p.availableOutgoingKbps)}, rx ${rx}`;
  });
  return `  ${head}\n    ${ps.join('\n    ')}`;
}

async function run(cfg: Config, ctx: CliContext): Promise<number> {
  const { signal, log } = ctx;
  const startedAt = new Date();
  const loadavgBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'sfu-ramp-'));
  const files = writeParticipantVideos(dir, cfg.peers, { ...DEFAULT_Y4M, content: cfg.content });
  let server: ServerHandle | null = null;
  const slots: BrowserSlot[] = [];
  const steps: RampStep[] = [];
  try {
    server = cfg.url ? null : await startServer();
    const base = cfg.url ?? server!.url;
    for (const file of files) slots.push(await BrowserSlot.launch(file));
    log(`sfu-ramp: N=${cfg.peers}, ${cfg.modes.join(' and ')}, ${cfg.loads.map((l) => (l ? 'loaded' : 'idle')).join(' and ')}, ${cfg.runs} run(s), ${cfg.content} video, server ${base}, load average ${loadavgBefore.map((l) => l.toFixed(2)).join(' ')}`);
    log(`rule: ${describeRule(cfg.rule)}`);
    for (let r = 1; r <= cfg.runs && !signal.aborted; r++) {
      for (const loaded of cfg.loads) {
        for (const mode of cfg.modes) {
          if (signal.aborted) break;
          const step = await oneStep(slots, base, mode, loaded, r, cfg, ctx).catch((err: unknown): RampStep => ({
            mode,
            loaded,
            run: r,
            loadavg: [loadavg()[0], loadavg()[0]],
            participants: [],
            error: err instanceof Error ? err.message.split('\n')[0] : String(err),
          }));
          steps.push(step);
          log(stepLine(step));
        }
      }
    }
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const aggregates = aggregate(steps.filter((s) => !s.error));
  const verdicts = resolutionVerdicts(aggregates);
  log(`\n${cfg.peers} participants, ${cfg.runs} run(s), ${cfg.content} video; ${describeRule(cfg.rule)}; goal: ramp ≤ ${RAMP_GOAL_S} s\n`);
  log(rampTable(aggregates));
  for (const v of verdicts) {
    const verdict = v.holds === null ? 'cannot tell' : v.holds ? 'holds' : 'does NOT hold';
    log(`${v.loaded ? 'loaded' : 'idle'}: "SFU receivers get at least mesh receivers' resolution" ${verdict}: ${v.reason}`);
  }
  writeBenchJson(cfg.outPath, 'sfu-ramp', { startedAt, interrupted: signal.aborted, loadavgBefore }, {
    config: { peers: cfg.peers, runs: cfg.runs, modes: cfg.modes, loads: cfg.loads.map((l) => (l ? 'loaded' : 'idle')), rule: cfg.rule, joinTimeoutS: cfg.joinTimeoutS, content: cfg.content, url: cfg.url, loadProcesses: cpus().length },
    rule: describeRule(cfg.rule),
    goalS: RAMP_GOAL_S,
    steps,
    aggregates,
    verdicts,
  });
  log(`JSON: ${cfg.outPath}`);
  return steps.some((s) => !s.error) || signal.aborted ? EXIT.ok : EXIT.failed;
}

startCli(spec);
