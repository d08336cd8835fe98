// E2EE cost benchmark: the same 3-participant SFU call with and without end-to-end encryption,
// rounds interleaved so both see the same machine. Per participant over a window after the call
// settled: browser CPU (its whole process tree), upload, decoded fps per remote, and for E2EE the
// time the worker spent in WebCrypto per frame (the delay it adds to each frame) and the bytes it
// added. On this machine's loopback, against a server it starts itself.
// Run: npm run bench:e2ee -- [--rounds N] [--settle S] [--window S] [--out FILE] [--help]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { roomUrl } from '../lib/browser/room-url';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { writeBenchJson } from '../lib/report/bench-json';
import { EXIT, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import type { AppSnapshot } from '../lib/hooks';
import { e2eeWindow, summarizeE2ee, type E2eeRun } from '../lib/measure/e2ee-cost';
import { startServer } from '../lib/server-process';

const USAGE = `Usage: npm run bench:e2ee -- [options]
  --rounds N    rounds; each runs the call without and with E2EE (default 3)
  --settle S    seconds after everyone decodes everyone before measuring (default 8)
  --window S    measured seconds (default 15)
  --out FILE    JSON output (default test-results/bench/e2ee-cost.json)
Starts its own server on a free port and 3 headless Chromium participants (one process each).
Exit codes: 0 ok (whatever the figures), 1 failed, 2 bad arguments, 130 interrupted.`;

const options = {
  rounds: { type: 'string', default: '3' },
  settle: { type: 'string', default: '8' },
  window: { type: 'string', default: '15' },
  out: { type: 'string', default: 'test-results/bench/e2ee-cost.json' },
} as const;

function configure(v: CliValues<typeof options>) {
  return {
    rounds: numberArg('rounds', v.rounds, 1, 20),
    settleS: numberArg('settle', v.settle, 0, 120, false),
    windowS: numberArg('window', v.window, 3, 300, false),
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'e2ee-cost', usage: USAGE, options, configure, run };

const PARTICIPANTS = 3;

async function oneCall(slots: BrowserSlot[], base: string, e2ee: boolean, cfg: Config, signal: AbortSignal): Promise<E2eeRun> {
  const room = `e2ee-bench-${e2ee ? 'on' : 'off'}-${Math.random().toString(36).slice(2, 7)}`;
  const people = await Promise.all(slots.map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
  try {
    const watch = { expectedPeers: PARTICIPANTS - 1, timeoutMs: 45_000, signal };
    for (const p of people) await p.navigate(roomUrl(base, room, { mode: 'sfu', name: p.name, autojoin: true, e2ee }), watch);
    if (!(await Promise.all(people.map((p) => p.decodingAll()))).every(Boolean)) throw new Error(`the ${e2ee ? 'E2EE' : 'plain'} call never decoded everyone`);
    await sleep(cfg.settleS * 1000, undefined, { signal }).catch(() => undefined);
    const read = () => Promise.all(people.map((p) => p.page.evaluate(() => window.__call!.getSnapshot()) as Promise<AppSnapshot>));
    const startedAt = Date.now();
    const cpuBefore = slots.map((s) => s.cpuSeconds());
    const before = await read();
    await sleep(cfg.windowS * 1000, undefined, { signal }).catch(() => undefined);
    const after = await read();
    const cpuAfter = slots.map((s) => s.cpuSeconds());
    const seconds = (Date.now() - startedAt) / 1000;
    const samples = await Promise.all(people.map((p) => p.samplesSince(startedAt)));
    return {
      e2ee,
      participants: people.map((_, i) =>
        e2eeWindow({
          seconds,
          cpuSeconds: cpuBefore[i] === null || cpuAfter[i] === null ? null : cpuAfter[i]! - cpuBefore[i]!,
          samples: samples[i],
          before: before[i].e2ee,
          after: after[i].e2ee,
        }),
      ),
    };
  } finally {
    await Promise.all(people.map((p) => p.leave()));
  }
}

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const started = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'e2ee-cost-'));
  const files = writeParticipantVideos(dir, PARTICIPANTS);
  const server = await startServer();
  const slots: BrowserSlot[] = [];
  const runs: E2eeRun[] = [];
  try {
    for (const file of files) slots.push(await BrowserSlot.launch(file));
    log(`e2ee-cost: ${cfg.rounds} rounds of a ${PARTICIPANTS}-participant SFU call without and with E2EE, server ${server.url}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (let round = 1; round <= cfg.rounds && !signal.aborted; round++) {
      for (const e2ee of [false, true]) {
        const r = await oneCall(slots, server.url, e2ee, cfg, signal);
        runs.push(r);
        log(`  #${round} ${e2ee ? 'E2EE ' : 'plain'}: ${r.participants.map((p) => `cpu ${p.cpuPct?.toFixed(0) ?? '—'}% up ${p.uploadKbps?.toFixed(0) ?? '—'} kbps`).join(' | ')}`);
      }
    }
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = summarizeE2ee(runs);
  const f = (v: number | null, digits = 0) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));
  log('\ncall   browser CPU % (median, range)   upload kbps   fps/remote   encrypt µs/frame   decrypt µs/frame   added kbps (% of upload)');
  for (const s of summary) {
    log(`${(s.e2ee ? 'E2EE' : 'plain').padEnd(6)} ${`${f(s.cpuPct.p50)} (${f(s.cpuPct.min)}-${f(s.cpuPct.max)})`.padEnd(31)} ${f(s.uploadKbps.p50).padEnd(13)} ${f(s.fps.p50, 1).padEnd(12)} ` +
      `${f(s.encryptUsPerFrame.p50).padEnd(18)} ${f(s.decryptUsPerFrame.p50).padEnd(18)} ${f(s.overheadKbps.p50, 1)} (${f(s.overheadPct.p50, 1)}%)`);
  }
  writeBenchJson(cfg.outPath, 'e2ee-cost', { startedAt: started, interrupted: signal.aborted }, {
    config: { rounds: cfg.rounds, settleS: cfg.settleS, windowS: cfg.windowS, participants: PARTICIPANTS },
    runs,
    summary,
  });
  log(`JSON: ${cfg.outPath}`);
  return EXIT.ok;
}

startCli(spec);
