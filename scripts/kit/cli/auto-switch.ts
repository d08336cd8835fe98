// Auto-mode switch benchmark: what a make-before-break switch costs the people watching. Two
// headless participants hold an auto room (mesh); a third joins (mesh → SFU) and leaves again
// (SFU → mesh), N times. For each switch, on the two who stay: the longest interval between new
// frames in each remote tile (what a person sees, whichever path carries it), and the time from
// the trigger (the third's navigation or leave) and from the decision reaching the page to the
// switch being done. Everything on this machine's loopback, against a server it starts itself.
// Run: npm run bench:auto-switch -- [--switches N] [--out FILE] [--help]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { roomUrl } from '../lib/browser/room-url';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { writeBenchJson } from '../lib/report/bench-json';
import { EXIT, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { summarizeSwitches, type Direction, type SwitchRecord } from '../lib/measure/switch-gaps';
import { readTileFrames, startTileFrames } from '../lib/measure/tile-frames';
import { startServer } from '../lib/server-process';

const USAGE = `Usage: npm run bench:auto-switch -- [options]
  --switches N   switches in each direction (default 5)
  --settle S     seconds to wait after each switch before the next trigger (default 4)
  --out FILE     JSON output (default test-results/bench/auto-switch.json)
Starts its own server on a free port and 3 headless Chromium participants (one process each) in
one auto room (threshold 2). Exit codes: 0 ok (whatever the figures), 1 failed, 2 bad arguments,
130 interrupted.`;

const options = {
  switches: { type: 'string', default: '5' },
  settle: { type: 'string', default: '4' },
  out: { type: 'string', default: 'test-results/bench/auto-switch.json' },
} as const;

function configure(v: CliValues<typeof options>) {
  return { switches: numberArg('switches', v.switches, 1, 50), settleS: numberArg('settle', v.settle, 0, 60, false), outPath: resolve(v.out) };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'auto-switch', usage: USAGE, options, configure, run };

/** A switch that has not completed by then counts as not completed. */
const SWITCH_TIMEOUT_MS = 40_000;
/** How long the tiles are watched without a switch, for the baseline gap. */
const BASELINE_MS = 10_000;
/** Measured past the switch's end: the old path lingers a little, and its closing must not freeze a tile. */
const AFTER_DONE_MS = 3_500;

interface PageAuto {
  mode: string;
  auto: { switching: string | null; history: { from: string | null; to: string; outcome: string; startedAt: number; doneAt: number | null; detail: string | null }[] } | null;
  peers: { id: string }[];
}

type HistoryEntry = NonNullable<PageAuto['auto']>['history'][number];

const readAuto = (p: QaParticipant) => p.page.evaluate(() => window.__call?.getSnapshot() as unknown as PageAuto);

/** Waits until every watcher has ended a switch to `to` (done, failed or taken back); the entries, or null. */
async function switchOutcome(watchers: QaParticipant[], to: string, since: number, signal: AbortSignal): Promise<HistoryEntry[] | null> {
  const deadline = Date.now() + SWITCH_TIMEOUT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    const states = await Promise.all(watchers.map(readAuto));
    const ends = states.map((s) => s.auto?.history.findLast((e) => e.from !== null && e.to === to && e.startedAt >= since && e.outcome !== 'switching'));
    if (ends.every(Boolean)) return ends as HistoryEntry[];
    await sleep(100);
  }
  return null;
}

async function measureSwitch(direction: Direction, watchers: QaParticipant[], trigger: () => Promise<void>, signal: AbortSignal): Promise<SwitchRecord> {
  const to = direction === 'mesh→sfu' ? 'sfu' : 'mesh';
  const peersBefore = await Promise.all(watchers.map(async (w) => (await readAuto(w)).peers.map((p) => p.id)));
  await Promise.all(watchers.map((w) => startTileFrames(w.page)));
  const triggeredAt = Date.now();
  await trigger();
  const ends = await switchOutcome(watchers, to, triggeredAt - 1000, signal);
  await sleep(AFTER_DONE_MS, undefined, { signal }).catch(() => undefined);
  const tiles = await Promise.all(watchers.map((w) => readTileFrames(w.page)));
  // Only the tiles that were there before (the two who stay see each other); a newcomer's tile starts empty.
  const gapsMs = watchers.flatMap((_, i) => peersBefore[i].filter((id) => tiles[i][id]).map((id) => tiles[i][id].maxGapMs));
  if (!ends) return { direction, completed: false, gapsMs, triggerToDoneMs: null, decisionToDoneMs: null, note: `not completed within ${SWITCH_TIMEOUT_MS / 1000} s` };
  const failed = ends.find((e) => e.outcome !== 'done');
  const doneAt = Math.max(...ends.map((e) => e.doneAt ?? 0));
  return {
    direction,
    completed: !failed,
    gapsMs,
    triggerToDoneMs: doneAt - triggeredAt,
    decisionToDoneMs: Math.max(...ends.map((e) => (e.doneAt ?? 0) - e.startedAt)),
    ...(failed ? { note: `${failed.outcome}: ${failed.detail ?? ''}` } : {}),
  };
}

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const started = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'auto-switch-'));
  const files = writeParticipantVideos(dir, 3);
  const server = await startServer();
  const slots: BrowserSlot[] = [];
  const records: SwitchRecord[] = [];
  let baselineGapMs: number | null = null;
  const room = `auto-bench-${Math.random().toString(36).slice(2, 7)}`;
  const url = (name: string) => roomUrl(server.url, room, { mode: 'auto', name, autojoin: true, sfuAbove: 2 });
  try {
    for (const file of files) slots.push(await BrowserSlot.launch(file));
    log(`auto-switch: ${cfg.switches} switches each way, room ${room}, server ${server.url}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const stay = await Promise.all(slots.slice(0, 2).map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
    for (const p of stay) {
      await p.navigate(url(p.name), { expectedPeers: stay.length - 1, timeoutMs: 45_000, signal });
      if (!(await p.joined()).ok) throw new Error(`${p.name} could not join: ${JSON.stringify(p.joinError)}`);
    }
    if (!(await Promise.all(stay.map((p) => p.decodingAll()))).every(Boolean)) throw new Error('the two did not decode each other');
    // What the tiles' frame intervals are without any switch, for comparison: the same meter, no trigger.
    await sleep(cfg.settleS * 1000, undefined, { signal }).catch(() => undefined);
    await Promise.all(stay.map((w) => startTileFrames(w.page)));
    await sleep(BASELINE_MS, undefined, { signal }).catch(() => undefined);
    baselineGapMs = Math.max(...(await Promise.all(stay.map((w) => readTileFrames(w.page)))).flatMap((t) => Object.values(t).map((x) => x.maxGapMs)));
    log(`  no switch, ${BASELINE_MS / 1000} s on mesh: longest tile gap ${baselineGapMs} ms`);
    for (let i = 1; i <= cfg.switches && !signal.aborted; i++) {
      let third: QaParticipant | null = null;
      const up = await measureSwitch('mesh→sfu', stay, async () => {
        third = await QaParticipant.open(slots[2], 'p3');
        await third.navigate(url('p3'), { expectedPeers: 2, timeoutMs: 45_000, signal });
      }, signal);
      records.push(up);
      log(`  #${i} ${line(up)}`);
      await sleep(cfg.settleS * 1000, undefined, { signal }).catch(() => undefined);
      const down = await measureSwitch('sfu→mesh', stay, async () => void (await third?.leave()), signal);
      records.push(down);
      log(`  #${i} ${line(down)}`);
      await sleep(cfg.settleS * 1000, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = summarizeSwitches(records);
  const ms = (v: number | null) => (v === null || Number.isNaN(v) ? '—' : `${Math.round(v)} ms`);
  log(`\nwithout a switch: longest tile gap ${baselineGapMs ?? '—'} ms over ${BASELINE_MS / 1000} s`);
  log('direction   completed  gap median  gap worst  trigger→done median/worst  decision→done median/worst');
  for (const s of summary) {
    log(`${s.direction.padEnd(11)} ${`${s.completed}/${s.switches}`.padEnd(10)} ${ms(s.gapMs.p50).padEnd(11)} ${ms(s.gapMs.max).padEnd(10)} ` +
      `${`${ms(s.triggerToDoneMs.p50)} / ${ms(s.triggerToDoneMs.max)}`.padEnd(26)} ${ms(s.decisionToDoneMs.p50)} / ${ms(s.decisionToDoneMs.max)}`);
  }
  writeBenchJson(cfg.outPath, 'auto-switch', { startedAt: started, interrupted: signal.aborted }, {
    config: { switches: cfg.switches, settleS: cfg.settleS, participants: 3, threshold: 2 },
    baselineGapMs,
    records,
    summary,
  });
  log(`JSON: ${cfg.outPath}`);
  return EXIT.ok;
}

function line(r: SwitchRecord): string {
  const gap = r.gapsMs.length ? `${Math.max(...r.gapsMs)} ms` : '—';
  return `${r.direction}: ${r.completed ? 'done' : `NOT done (${r.note})`}, longest tile gap ${gap}, trigger→done ${r.triggerToDoneMs ?? '—'} ms`;
}

startCli(spec);
