// Relay cost benchmark: what forcing TURN (&relay=1) adds to a 2-tab call in mesh and SFU mode —
// join time (navigation to first decoded remote frame) and the selected candidate pair's RTT.
// Run against a running server: npx tsx scripts/kit/cli/relay-cost.ts [--url U] [--runs N] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { launchChromium } from '../lib/browser/chromium';
import { MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { EXIT, numberArg, startCli, type CliContext, type CliSpec } from '../lib/cli';
import { median } from '../lib/measure/stats-math';

const USAGE = `Usage: npx tsx scripts/kit/cli/relay-cost.ts [options]
  --url URL              a running server with TURN (default http://127.0.0.1:3000)
  --runs N               rounds of the four cells (mesh/SFU × direct/relay), 1..20 (default 5)
  --out FILE             JSON output (default test-results/bench/relay-cost.json)
  --settle-ms MS         wait before reading the pair RTT, 0..60000 (default 3000)
  --run-timeout-ms MS    per run, 5000..300000 (default 45000)
Exit codes: 0 every run ok, 1 a run failed or the server has no TURN, 2 bad arguments, 130 interrupted.`;

const options = {
  url: { type: 'string', default: 'http://127.0.0.1:3000' },
  runs: { type: 'string', default: '5' },
  out: { type: 'string', default: 'test-results/bench/relay-cost.json' },
  'settle-ms': { type: 'string', default: '3000' },
  'run-timeout-ms': { type: 'string', default: '45000' },
} as const;

interface Config {
  url: string;
  runs: number;
  out: string;
  settleMs: number;
  runTimeoutMs: number;
}

const spec: CliSpec<typeof options, Config> = {
  name: 'relay-cost',
  usage: USAGE,
  options,
  configure(v) {
    let url: URL;
    try {
      url = new URL(v.url);
    } catch {
      throw new RangeError(`--url must be a URL like http://127.0.0.1:3000, got "${v.url}"`);
    }
    return {
      // Not limited to loopback: relaying only costs something measurable between real hosts.
      url: url.origin,
      runs: numberArg('runs', v.runs, 1, 20),
      out: resolve(v.out),
      settleMs: numberArg('settle-ms', v['settle-ms'], 0, 60_000),
      runTimeoutMs: numberArg('run-timeout-ms', v['run-timeout-ms'], 5_000, 300_000),
    };
  },
  run,
};

const POLICIES = ['direct', 'relay'] as const;
type Policy = (typeof POLICIES)[number];

interface RunResult {
  mode: Mode;
  policy: Policy;
  run: number;
  ok: boolean;
  /** Second tab: its navigation start to its first decoded remote frame, in-page clock (ms). */
  joinMs: number | null;
  /** Median over both tabs' connections of the selected pair's RTT (mesh: to the peer; SFU: to the server). */
  rttMs: number | null;
  localCandidateTypes: string[];
  error: string | null;
}

/**
 * Resolves, in the page's own clock, when the first remote video frame has been decoded. Polling
 * inside the page (every 50 ms) keeps Playwright's round trips out of the measurement, and
 * performance.now() counts from this page's navigation start.
 */
function firstFrameAt(page: Page, timeoutMs: number): Promise<number> {
  return page.evaluate(async (limit) => {
    type Handle = { getStats(): Promise<{ peers: { framesDecoded: number }[] }> };
    const deadline = performance.now() + limit;
    while (performance.now() < deadline) {
      const call = (window as unknown as { __call?: Handle }).__call;
      if (call) {
        const stats = await call.getStats().catch(() => null);
        if (stats && stats.peers.some((p) => p.framesDecoded > 0)) return performance.now();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no remote frame decoded within ${limit} ms`);
  }, timeoutMs);
}

async function connectionDetails(page: Page): Promise<{ rttMs: number | null; localCandidateType: string | null }[]> {
  return page.evaluate(async () => {
    type Handle = { getStats(): Promise<{ connectionDetails: { rttMs: number | null; localCandidateType: string | null }[] }> };
    const stats = await (window as unknown as { __call: Handle }).__call.getStats();
    return stats.connectionDetails.map((c) => ({ rttMs: c.rttMs, localCandidateType: c.localCandidateType }));
  });
}

async function oneRun(browser: Browser, cfg: Config, mode: Mode, policy: Policy, run: number): Promise<RunResult> {
  const RUN_TIMEOUT_MS = cfg.runTimeoutMs;
  const result: RunResult = { mode, policy, run, ok: false, joinMs: null, rttMs: null, localCandidateTypes: [], error: null };
  const room = `bench-${mode}-${policy}-${run}-${Date.now().toString(36)}`;
  const url = (name: string) => roomUrl(cfg.url, room, { mode, name, autojoin: true, relay: policy === 'relay' });
  const contexts: BrowserContext[] = [];
  const page = async () => {
    const ctx = await browser.newContext({ permissions: ['camera', 'microphone'] });
    contexts.push(ctx);
    return ctx.newPage();
  };
  const work = (async () => {
    const a = await page();
    await a.goto(url('a'));
    // The first tab is joined alone before the second navigates: the join time is the second tab's.
    await a.waitForFunction(() => (window as unknown as { __call?: { getSnapshot(): { status: string } } }).__call?.getSnapshot().status === 'joined', null, { timeout: RUN_TIMEOUT_MS });
    const b = await page();
    await b.goto(url('b'));
    result.joinMs = await firstFrameAt(b, RUN_TIMEOUT_MS);
    await firstFrameAt(a, RUN_TIMEOUT_MS);
    // ICE measures pair RTT with periodic STUN checks; give it a few rounds before reading.
    await new Promise((r) => setTimeout(r, cfg.settleMs));
    const details = [...(await connectionDetails(a)), ...(await connectionDetails(b))];
    const rtts = details.map((d) => d.rttMs).filter((v): v is number => typeof v === 'number');
    result.rttMs = rtts.length ? median(rtts) : null;
    result.localCandidateTypes = details.map((d) => d.localCandidateType ?? 'none');
    const wanted = policy === 'relay';
    result.ok = details.length > 0 && details.every((d) => (d.localCandidateType === 'relay') === wanted);
    if (!result.ok) result.error = `unexpected local candidate types: ${result.localCandidateTypes.join(',')}`;
  })();
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run timed out after ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS + 10_000));
  try {
    await Promise.race([work, timeout]);
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
  return result;
}

const fmt = (v: number | null) => (v === null || Number.isNaN(v) ? '   n/a' : v.toFixed(1).padStart(6));
const medOf = (rs: RunResult[], key: 'joinMs' | 'rttMs') => {
  const vals = rs.filter((r) => r.ok && r[key] !== null).map((r) => r[key] as number);
  return vals.length ? median(vals) : null;
};

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const ready = await fetch(`${cfg.url}/readyz`).then((r) => r.json() as Promise<{ turn?: { available: boolean; reason: string | null } }>);
  if (!ready.turn?.available) {
    log(`relay-cost: the server offers no TURN (${ready.turn?.reason ?? 'unknown'}); relay runs cannot work`);
    return EXIT.failed;
  }
  const browser = await launchChromium();
  const results: RunResult[] = [];
  try {
    // Rounds interleave the four cells so slow drift of a shared machine hits them all alike.
    for (let round = 1; round <= cfg.runs && !signal.aborted; round++) {
      for (const mode of MODES) {
        for (const policy of POLICIES) {
          if (signal.aborted) break;
          const r = await oneRun(browser, cfg, mode, policy, round);
          results.push(r);
          log(`run ${round} ${mode}/${policy}: join ${fmt(r.joinMs)} ms  rtt ${fmt(r.rttMs)} ms  [${r.localCandidateTypes.join(',')}]${r.error ? `  ERROR ${r.error}` : ''}`);
        }
      }
    }
  } finally {
    await browser.close();
  }

  const summary = MODES.map((mode) => {
    const cell = (policy: Policy) => {
      const rs = results.filter((r) => r.mode === mode && r.policy === policy);
      return { ok: rs.filter((r) => r.ok).length, runs: rs.length, joinMs: medOf(rs, 'joinMs'), rttMs: medOf(rs, 'rttMs') };
    };
    const direct = cell('direct');
    const relay = cell('relay');
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    return { mode, direct, relay, extraRttMs: diff(relay.rttMs, direct.rttMs), extraJoinMs: diff(relay.joinMs, direct.joinMs) };
  });

  log('\nmedians (ok runs only)');
  log('mode  policy  ok/runs  join ms  pair RTT ms');
  for (const s of summary) {
    for (const policy of POLICIES) {
      const c = s[policy];
      log(`${s.mode.padEnd(5)} ${policy.padEnd(7)} ${`${c.ok}/${c.runs}`.padStart(7)}  ${fmt(c.joinMs)}   ${fmt(c.rttMs)}`);
    }
  }
  log('\nrelay vs direct');
  for (const s of summary) log(`${s.mode.padEnd(5)} extra RTT ${fmt(s.extraRttMs)} ms   extra join time ${fmt(s.extraJoinMs)} ms`);

  mkdirSync(dirname(cfg.out), { recursive: true });
  writeFileSync(cfg.out, JSON.stringify({ url: cfg.url, runs: cfg.runs, settleMs: cfg.settleMs, at: new Date().toISOString(), interrupted: signal.aborted, summary, results }, null, 2));
  log(`\nwrote ${cfg.out}`);
  return results.some((r) => !r.ok) ? EXIT.failed : EXIT.ok;
}

startCli(spec);
