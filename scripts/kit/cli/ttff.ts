// Time-to-first-frame benchmark: how long a newcomer waits, from navigating to the room page to its
// first decoded frame of someone else, step by step (page ready, camera and mic, signaling, join
// acknowledged, media connected, first frame) as the page itself records it (the QA hook's
// joinWaterfall). For each mode, K times: the first N-1 participants join and decode each other,
// then the measured last one navigates; p50/p95 per step and of the total. Modes take turns run by
// run, so both see the same machine. Everything on this machine's loopback.
// Run: npm run bench:ttff -- [--runs K] [--peers N] [--modes mesh,sfu] [--url URL] [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from '@playwright/test';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { EXIT, listOf, loopbackUrl, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import type { AppJoinWaterfall, CallError } from '../lib/hooks';
import { summarizeTtff, TTFF_GOAL, ttffTable, type TtffRun } from '../lib/measure/ttff';
import { startServer, type ServerHandle } from '../lib/server-process';

const USAGE = `Usage: npm run bench:ttff -- [options]
  --runs K       measured joins per mode (default 7)
  --peers N      participants once the measured one is in: 2 to 6 (default 2)
  --modes LIST   comma-separated, of ${MODES.join(', ')} (default both)
  --warmup W     joins per mode before the measured ones, not counted (default 1)
  --settle S     seconds the first participants run before the measured one navigates (default 1)
  --timeout S    a join with no first frame by then counts as not completed (default 30)
  --url URL      a running server on this machine (default: start one on a free port)
  --out FILE     JSON output (default test-results/bench/ttff.json)
Starts N headless Chromium processes (one per participant, each with its own fake video); every
join opens a fresh browser context, so the page loads with an empty cache. Exit codes: 0 ok
(whatever the figures), 1 failed, 2 bad arguments, 130 interrupted.`;

const options = {
  runs: { type: 'string', default: '7' },
  peers: { type: 'string', default: '2' },
  modes: { type: 'string', default: MODES.join(',') },
  warmup: { type: 'string', default: '1' },
  settle: { type: 'string', default: '1' },
  timeout: { type: 'string', default: '30' },
  url: { type: 'string' },
  out: { type: 'string', default: 'test-results/bench/ttff.json' },
} as const;

function configure(v: CliValues<typeof options>) {
  return {
    runs: numberArg('runs', v.runs, 1, 100),
    peers: numberArg('peers', v.peers, 2, 6),
    modes: listOf('modes', v.modes, MODES),
    warmup: numberArg('warmup', v.warmup, 0, 10),
    settleS: numberArg('settle', v.settle, 0, 60, false),
    timeoutS: numberArg('timeout', v.timeout, 5, 300),
    url: v.url === undefined ? null : loopbackUrl('url', v.url),
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'ttff', usage: USAGE, options, configure, run };

/** After the first frame, how long a step still waiting may take (an SFU send transport can connect after it). */
const LATE_STEP_MS = 3_000;

interface PageJoin {
  status: string;
  error: CallError | null;
  waterfall: AppJoinWaterfall | null;
}

// A plain JS string: a function compiled by tsx may carry helpers the page lacks.
const READ_JOIN_JS = `(() => {
  const c = window.__call;
  if (!c) return null;
  const s = c.getSnapshot();
  return { status: s.status, error: s.error ? { code: s.error.code, message: s.error.message } : null, waterfall: s.joinWaterfall ?? null };
})()`;

/** Polls the measured page until its waterfall is complete, its call fails, or time runs out. */
async function waitForWaterfall(page: Page, deadline: number, signal: AbortSignal): Promise<{ waterfall: AppJoinWaterfall | null; error?: string }> {
  let framedAt: number | null = null;
  let last: PageJoin | null = null;
  while (!signal.aborted && performance.now() < deadline) {
    last = (await page.evaluate(READ_JOIN_JS).catch(() => null)) as PageJoin | null;
    const w = last?.waterfall ?? null;
    if (last?.status === 'failed') return { waterfall: w, error: `${last.error?.code ?? 'FAILED'}: ${last.error?.message ?? ''}` };
    if (w?.complete) return { waterfall: w };
    if (w?.totalMs != null) {
      framedAt ??= performance.now();
      if (performance.now() - framedAt > LATE_STEP_MS) return { waterfall: w };
    }
    await sleep(100, undefined, { signal }).catch(() => undefined);
  }
  if (last?.waterfall?.totalMs != null) return { waterfall: last.waterfall };
  return { waterfall: null, error: signal.aborted ? 'interrupted' : `no first frame within the timeout (status ${last?.status ?? 'no hooks'})` };
}

async function oneJoin(slots: BrowserSlot[], base: string, mode: Mode, cfg: Config, signal: AbortSignal): Promise<Omit<TtffRun, 'run'>> {
  const room = `ttff-${mode}-${Math.random().toString(36).slice(2, 8)}`;
  const url = (name: string) => roomUrl(base, room, { mode, name, autojoin: true });
  const firsts = await Promise.all(slots.slice(0, -1).map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
  const measured = await QaParticipant.open(slots.at(-1)!, `p${slots.length}`);
  try {
    for (const p of firsts) {
      await p.navigate(url(p.name), { expectedPeers: firsts.length - 1, timeoutMs: 45_000, signal });
      const joined = await p.joined();
      if (!joined.ok) throw new Error(`${p.name} could not join: ${joined.error.code} ${joined.error.message}`);
    }
    if (!(await Promise.all(firsts.map((p) => p.decodingAll()))).every(Boolean)) throw new Error('the first participants never decoded each other');
    await sleep(cfg.settleS * 1000, undefined, { signal }).catch(() => undefined);
    const deadline = performance.now() + cfg.timeoutS * 1000;
    // 'commit': the page's own marks time the join; waiting for its load event here would only delay the polls.
    await measured.page.goto(url(measured.name), { waitUntil: 'commit', timeout: cfg.timeoutS * 1000 });
    return { mode, peers: slots.length, ...(await waitForWaterfall(measured.page, deadline, signal)) };
  } finally {
    await Promise.all([...firsts, measured].map((p) => p.leave()));
  }
}

function runLine(r: TtffRun): string {
  const w = r.waterfall;
  if (!w || w.totalMs === null) return `${r.mode} #${r.run}: no first frame (${r.error ?? 'unknown'})`;
  const steps = w.steps.map((s) => `${s.name} ${s.ms === null ? '?' : Math.round(s.ms)}`).join(' + ');
  return `${r.mode} #${r.run}: ${Math.round(w.totalMs)} ms = ${steps}${r.error ? ` (${r.error})` : ''}`;
}

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const started = new Date();
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'ttff-'));
  const files = writeParticipantVideos(dir, cfg.peers);
  let server: ServerHandle | null = null;
  const slots: BrowserSlot[] = [];
  const runs: TtffRun[] = [];
  try {
    server = cfg.url ? null : await startServer();
    const base = cfg.url ?? server!.url;
    for (const file of files) slots.push(await BrowserSlot.launch(file));
    log(`ttff: ${cfg.modes.join(', ')}, N=${cfg.peers}, ${cfg.warmup} warm-up + ${cfg.runs} runs each, server ${base}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
    for (let round = 1 - cfg.warmup; round <= cfg.runs && !signal.aborted; round++) {
      for (const mode of cfg.modes) {
        if (signal.aborted) break;
        const result = await oneJoin(slots, base, mode, cfg, signal).catch((err: unknown) => ({
          mode,
          peers: cfg.peers,
          waterfall: null,
          error: err instanceof Error ? err.message.split('\n')[0] : String(err),
        }));
        const r: TtffRun = { ...result, run: round };
        log(`  ${round < 1 ? '(warm-up) ' : ''}${runLine(r)}`);
        if (round >= 1) runs.push(r);
      }
    }
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const summary = summarizeTtff(runs);
  log(`\nnavigation → first decoded remote frame, N=${cfg.peers}, p50 / p95 over ${cfg.runs} runs (load average ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after):\n`);
  log(ttffTable(summary));
  for (const s of summary) {
    if (s.goalMet !== null) log(`${s.mode}: goal p50 ≤ ${TTFF_GOAL.p50Ms} ms and p95 ≤ ${TTFF_GOAL.p95Ms} ms ${s.goalMet ? 'met' : 'NOT met'}`);
  }
  mkdirSync(resolve(cfg.outPath, '..'), { recursive: true });
  writeFileSync(cfg.outPath, `${JSON.stringify({
    benchmark: 'ttff',
    schemaVersion: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    interrupted: signal.aborted,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgBefore: loadBefore, loadavgAfter: loadAfter },
    config: { runs: cfg.runs, peers: cfg.peers, modes: cfg.modes, warmup: cfg.warmup, settleS: cfg.settleS, timeoutS: cfg.timeoutS, url: cfg.url },
    goal: TTFF_GOAL,
    runs,
    summary,
  }, null, 2)}\n`);
  log(`JSON: ${cfg.outPath}`);
  return EXIT.ok;
}

startCli(spec);
