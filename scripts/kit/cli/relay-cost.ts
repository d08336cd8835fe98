// Relay cost benchmark: what forcing TURN (&relay=1) adds to a 2-tab call in mesh and SFU mode —
// join time (navigation to first decoded remote frame) and the selected candidate pair's RTT.
// Run against a running server: npx tsx scripts/kit/cli/relay-cost.ts [--url U] [--runs N] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { median } from '../lib/measure/stats-math';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string', default: 'test-results/bench/relay-cost.json' },
    'settle-ms': { type: 'string', default: '3000' },
    'run-timeout-ms': { type: 'string', default: '45000' },
  },
});
const RUNS = Math.min(Math.max(1, Number(args.runs)), 20);
const SETTLE_MS = Number(args['settle-ms']);
const RUN_TIMEOUT_MS = Number(args['run-timeout-ms']);
const MODES = ['mesh', 'sfu'] as const;
const POLICIES = ['direct', 'relay'] as const;
type Mode = (typeof MODES)[number];
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

const ARGS = ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'];

function roomUrl(room: string, mode: Mode, name: string, policy: Policy): string {
  return `${args.url}/room/${room}?mode=${mode}&name=${name}&autojoin=1${policy === 'relay' ? '&relay=1' : ''}`;
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

async function oneRun(browser: Browser, mode: Mode, policy: Policy, run: number): Promise<RunResult> {
  const result: RunResult = { mode, policy, run, ok: false, joinMs: null, rttMs: null, localCandidateTypes: [], error: null };
  const room = `bench-${mode}-${policy}-${run}-${Date.now().toString(36)}`;
  const contexts: BrowserContext[] = [];
  const page = async () => {
    const ctx = await browser.newContext({ permissions: ['camera', 'microphone'] });
    contexts.push(ctx);
    return ctx.newPage();
  };
  const work = (async () => {
    const a = await page();
    await a.goto(roomUrl(room, mode, 'a', policy));
    // The first tab is joined alone before the second navigates: the join time is the second tab's.
    await a.waitForFunction(() => (window as unknown as { __call?: { getSnapshot(): { status: string } } }).__call?.getSnapshot().status === 'joined', null, { timeout: RUN_TIMEOUT_MS });
    const b = await page();
    await b.goto(roomUrl(room, mode, 'b', policy));
    result.joinMs = await firstFrameAt(b, RUN_TIMEOUT_MS);
    await firstFrameAt(a, RUN_TIMEOUT_MS);
    // ICE measures pair RTT with periodic STUN checks; give it a few rounds before reading.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
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

async function main() {
  const ready = await fetch(`${args.url}/readyz`).then((r) => r.json() as Promise<{ turn?: { available: boolean; reason: string | null } }>);
  if (!ready.turn?.available) throw new Error(`the server offers no TURN (${ready.turn?.reason ?? 'unknown'}); relay runs cannot work`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, headless: true });
  const results: RunResult[] = [];
  try {
    // Rounds interleave the four cells so slow drift of a shared machine hits them all alike.
    for (let run = 1; run <= RUNS; run++) {
      for (const mode of MODES) {
        for (const policy of POLICIES) {
          const r = await oneRun(browser, mode, policy, run);
          results.push(r);
          console.log(`run ${run} ${mode}/${policy}: join ${fmt(r.joinMs)} ms  rtt ${fmt(r.rttMs)} ms  [${r.localCandidateTypes.join(',')}]${r.error ? `  ERROR ${r.error}` : ''}`);
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

  console.log('\nmedians (ok runs only)');
  console.log('mode  policy  ok/runs  join ms  pair RTT ms');
  for (const s of summary) {
    for (const policy of POLICIES) {
      const c = s[policy];
      console.log(`${s.mode.padEnd(5)} ${policy.padEnd(7)} ${`${c.ok}/${c.runs}`.padStart(7)}  ${fmt(c.joinMs)}   ${fmt(c.rttMs)}`);
    }
  }
  console.log('\nrelay vs direct');
  for (const s of summary) console.log(`${s.mode.padEnd(5)} extra RTT ${fmt(s.extraRttMs)} ms   extra join time ${fmt(s.extraJoinMs)} ms`);

  const out = resolve(args.out!);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ url: args.url, runs: RUNS, settleMs: SETTLE_MS, at: new Date().toISOString(), summary, results }, null, 2));
  console.log(`\nwrote ${out}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
