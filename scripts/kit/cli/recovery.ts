// Recovery benchmark: what each topology survives, timed. Three headless participants per room,
// against a server this CLI starts (and kills) itself, with the failure drill's operator token:
//   mesh-outage       signaling stopped N s (drill): frames decoded meanwhile, and the time from
//                     signaling's return until every roster is whole again
//   mesh-restart      server SIGKILLed and restarted: time from ready until the rosters are whole
//                     again, with the same peer ids (seats rebuilt from the resume tokens)
//   sfu-worker-kill   the room's mediasoup worker killed (drill): time until everyone decodes
//                     everyone again
//   sfu-restart       server SIGKILLed and restarted: time from ready until everyone decodes
//                     everyone again
//   mesh-relay-cut,   every connection relayed (relay=1), then coturn restarted (drill): the
//   sfu-relay-cut     relayed paths are dead until ICE restarts build new ones; time from the cut
//                     until everyone decodes everyone again
//   mesh-net-cut,     in the network lab (root): each participant on its own host, the server on
//   sfu-net-cut       another; one participant's cable unplugged for S s, then plugged back: time
//                     from the re-plug until everyone decodes everyone again
// Run: npm run bench:recovery -- [--trials N] [--outage-seconds S] [--scenarios a,b] [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { framesByName, type ProbeReading } from '../lib/browser/probe';
import { roomUrl, type Mode } from '../lib/browser/room-url';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { EXIT, listOf, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { decodingEveryone, rosterWhole, summarizeScenario, totalFrames, type RecoveryReading, type TrialResult } from '../lib/measure/recovery';
import { openLab, type Lab } from '../lib/lab/lab';
import { startServer, type ServerHandle, type StartOptions } from '../lib/server-process';

const SCENARIOS = ['mesh-outage', 'mesh-restart', 'sfu-worker-kill', 'sfu-restart', 'mesh-relay-cut', 'sfu-relay-cut', 'mesh-net-cut', 'sfu-net-cut'] as const;
type Scenario = (typeof SCENARIOS)[number];
const MODE_OF: Record<Scenario, Mode> = {
  'mesh-outage': 'mesh',
  'mesh-restart': 'mesh',
  'sfu-worker-kill': 'sfu',
  'sfu-restart': 'sfu',
  'mesh-relay-cut': 'mesh',
  'sfu-relay-cut': 'sfu',
  'mesh-net-cut': 'mesh',
  'sfu-net-cut': 'sfu',
};
/** Scenarios that need the network lab (root): they run in a second rig, after the others. */
const inLab = (s: Scenario) => s.endsWith('net-cut');

const USAGE = `Usage: npm run bench:recovery -- [options]
  --trials N           trials per scenario (default 5)
  --outage-seconds S   how long signaling is stopped in mesh-outage (default 15)
  --down-seconds S     how long the server stays dead in the restart scenarios (default 3)
  --cut-seconds S      how long the cable stays unplugged in the net-cut scenarios (default 5)
  --recover-timeout S  a trial that has not recovered by then counts as not recovered (default 60)
  --scenarios LIST     comma-separated, of ${SCENARIOS.join(', ')} (default: all)
  --out FILE           JSON output (default test-results/bench/recovery.json)
Starts its own server (a free port, a random operator token and resume secret) and 3 headless
Chromium participants. The net-cut scenarios build the network lab (network namespaces: needs
root) and run the server and each participant on their own lab hosts. Exit codes: 0 ok (whatever
recovered), 1 failed, 2 bad arguments, 3 a participant could not join, 130 interrupted.`;

const options = {
  trials: { type: 'string', default: '5' },
  'outage-seconds': { type: 'string', default: '15' },
  'down-seconds': { type: 'string', default: '3' },
  'cut-seconds': { type: 'string', default: '5' },
  'recover-timeout': { type: 'string', default: '60' },
  scenarios: { type: 'string', default: SCENARIOS.join(',') },
  out: { type: 'string', default: 'test-results/bench/recovery.json' },
} as const;

function configure(v: CliValues<typeof options>) {
  return {
    trials: numberArg('trials', v.trials, 1, 50),
    outageS: numberArg('outage-seconds', v['outage-seconds'], 1, 120),
    downS: numberArg('down-seconds', v['down-seconds'], 0, 60, false),
    cutS: numberArg('cut-seconds', v['cut-seconds'], 1, 120),
    timeoutS: numberArg('recover-timeout', v['recover-timeout'], 5, 600),
    scenarios: listOf('scenarios', v.scenarios, SCENARIOS),
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'recovery', usage: USAGE, options, configure, run };

const PARTICIPANTS = 3;
const POLL_MS = 250;
const env = { OPERATOR_TOKEN: randomBytes(18).toString('base64url'), RESUME_SECRET: randomBytes(24).toString('base64url') };

interface Rig {
  server: ServerHandle;
  /** The server as the participants' browsers reach it (the lab's address in the lab). */
  pageBase: string;
  /** Starts the server again on the same port (after a kill). */
  restart(port: number): Promise<void>;
  slots: BrowserSlot[];
  signal: AbortSignal;
  lab: Lab | null;
}

/** The server and one browser per video file: on this machine's loopback, or on the lab's hosts. */
async function openRig(files: string[], signal: AbortSignal, withLab: boolean): Promise<Rig> {
  const lab = withLab ? await openLab(files.map(() => 'public')) : null;
  const start = (o: StartOptions): Promise<ServerHandle & { labUrl?: string }> => (lab ? lab.startServer(o) : startServer(o));
  const first = await start({ env });
  const pageBase = first.labUrl ?? first.url;
  const rig: Rig = { server: first, pageBase, restart: async (port) => void (rig.server = await start({ port, env })), slots: [], signal, lab };
  try {
    for (const [i, file] of files.entries()) {
      rig.slots.push(await BrowserSlot.launch(file, lab ? { executablePath: lab.chromiumFor(lab.hosts[i]), args: lab.chromiumArgs(pageBase) } : {}));
    }
  } catch (err) {
    await closeRig(rig, () => undefined);
    throw err;
  }
  return rig;
}

async function closeRig(rig: Rig, log: (l: string) => void): Promise<void> {
  await Promise.all(rig.slots.map((s) => s.close()));
  await rig.server.stop();
  const left = (await rig.lab?.close()) ?? [];
  if (left.length) log(`lab: the host differs after teardown:\n  ${left.join('\n  ')}`);
}

const asRecovery = (r: ProbeReading): RecoveryReading => ({
  status: r.status,
  signaling: r.signaling,
  selfId: r.selfId,
  roster: r.roster.map((p) => ({ name: p.name, reconnecting: p.reconnecting })),
  frames: framesByName(r),
});

async function readAll(people: QaParticipant[]): Promise<RecoveryReading[]> {
  return Promise.all(people.map(async (p) => asRecovery((await p.read()) ?? p.last!)));
}

/** Polls until check holds for every participant; seconds since `from`, or null at the timeout. */
async function until(
  people: QaParticipant[],
  from: number,
  timeoutS: number,
  signal: AbortSignal,
  check: (before: RecoveryReading, now: RecoveryReading, others: string[], index: number) => boolean,
): Promise<number | null> {
  const others = people.map((p) => people.filter((o) => o !== p).map((o) => o.name));
  let before = await readAll(people);
  while (performance.now() - from < timeoutS * 1000 && !signal.aborted) {
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
    const now = await readAll(people);
    // Every participant is checked on every poll (no short-circuit): checks may keep state.
    const ok = now.map((r, i) => check(before[i], r, others[i], i));
    if (ok.every(Boolean)) return (performance.now() - from) / 1000;
    before = now;
  }
  return null;
}

async function drill(rig: Rig, action: string): Promise<void> {
  const res = await fetch(`${rig.server.url}/drill/${action}`, { method: 'POST', headers: { authorization: `Bearer ${env.OPERATOR_TOKEN}` } });
  if (!res.ok) throw new Error(`drill ${action}: HTTP ${res.status} ${await res.text()}`);
}

async function killAndRestart(rig: Rig, downS: number): Promise<void> {
  const port = Number(new URL(rig.server.url).port);
  const exited = new Promise((r) => rig.server.child.once('exit', r));
  rig.server.child.kill('SIGKILL');
  await exited;
  await sleep(downS * 1000);
  await rig.restart(port);
}

/** One trial: a fresh room of three that decodes everyone, the failure, the measurement. */
async function trial(rig: Rig, scenario: Scenario, cfg: Config, log: (l: string) => void): Promise<TrialResult> {
  const mode = MODE_OF[scenario];
  const room = `recovery-${scenario}-${Math.random().toString(36).slice(2, 7)}`;
  const people = await Promise.all(rig.slots.map((slot, i) => QaParticipant.open(slot, `p${i + 1}`)));
  try {
    const watch = { expectedPeers: PARTICIPANTS - 1, timeoutMs: 45_000, signal: rig.signal };
    const relay = scenario.endsWith('relay-cut');
    await Promise.all(people.map((p) => p.navigate(roomUrl(rig.pageBase, room, { mode, name: p.name, autojoin: true, relay }), watch)));
    const joins = await Promise.all(people.map((p) => p.joined()));
    const refused = joins.find((j) => !j.ok);
    if (refused && !refused.ok) return { seconds: null, note: `join failed: ${refused.error.code}: ${refused.error.message}` };
    if (!(await Promise.all(people.map((p) => p.decodingAll()))).every(Boolean)) return { seconds: null, note: 'never decoded everyone before the failure' };
    const start = await readAll(people);
    const ids = start.map((r) => r.selfId);

    if (scenario === 'mesh-outage') {
      await drill(rig, `signaling-outage?seconds=${cfg.outageS}`);
      await sleep(cfg.outageS * 1000, undefined, { signal: rig.signal }).catch(() => undefined);
      const back = performance.now();
      const end = await readAll(people);
      const seconds = await until(people, back, cfg.timeoutS, rig.signal, (_b, now, others) => rosterWhole(now, others));
      const after = await readAll(people);
      return {
        seconds,
        extra: {
          framesDuringOutage: end.reduce((sum, r, i) => sum + totalFrames(r) - totalFrames(start[i]), 0),
          everyoneKeptDecoding: end.every((r, i) => Object.keys(start[i].frames).every((name) => r.frames[name] > start[i].frames[name])),
          samePeerIds: after.every((r, i) => r.selfId === ids[i]),
        },
      };
    }
    if (scenario === 'mesh-restart') {
      await killAndRestart(rig, cfg.downS);
      const ready = performance.now();
      const seconds = await until(people, ready, cfg.timeoutS, rig.signal, (_b, now, others) => rosterWhole(now, others));
      const after = await readAll(people);
      return {
        seconds,
        extra: {
          samePeerIds: after.every((r, i) => r.selfId === ids[i]),
          // Kept connections keep counting; rebuilt ones would have started again from zero.
          framesNeverReset: after.every((r, i) => Object.keys(start[i].frames).every((name) => r.frames[name] > start[i].frames[name])),
        },
      };
    }
    if (relay) {
      const cutAt = performance.now();
      await drill(rig, 'restart-turn');
      // Recovered once the video stalled (the relay died) and then moves again from everyone. A
      // mesh page whose links were all repaired between two polls (one end fails at once and
      // leads the repair, see PROTOCOL.md) never shows a stall: once some page has shown the cut,
      // such a page counts as recovered while it decodes everyone.
      const stalled = people.map(() => false);
      const seconds = await until(people, cutAt, cfg.timeoutS, rig.signal, (before, now, others, i) => {
        if (!decodingEveryone(before, now, others)) stalled[i] = true;
        return stalled.some(Boolean) && rosterWhole(now, others) && decodingEveryone(before, now, others);
      });
      const after = await readAll(people);
      return { seconds, extra: { samePeerIds: after.every((r, i) => r.selfId === ids[i]), pagesStalled: stalled.filter(Boolean).length } };
    }
    if (rig.lab) {
      const replug = await rig.lab.unplug(rig.lab.hosts[0]);
      await sleep(cfg.cutS * 1000, undefined, { signal: rig.signal }).catch(() => undefined);
      const stalled = await readAll(people);
      await replug();
      const back = performance.now();
      const seconds = await until(people, back, cfg.timeoutS, rig.signal, (before, now, others) => rosterWhole(now, others) && decodingEveryone(before, now, others));
      const after = await readAll(people);
      return {
        seconds,
        extra: {
          // The others' video from the unplugged one froze (it did not just keep flowing).
          cutFroze: stalled.slice(1).every((r, i) => r.frames.p1 - start[i + 1].frames.p1 < cfg.cutS * 5),
          samePeerIds: after.every((r, i) => r.selfId === ids[i]),
        },
      };
    }
    const failedAt = performance.now();
    if (scenario === 'sfu-worker-kill') await drill(rig, 'kill-worker');
    else await killAndRestart(rig, cfg.downS);
    const from = scenario === 'sfu-worker-kill' ? failedAt : performance.now();
    // Recovered: the media was rebuilt (new consumers count frames from zero again: seen as a
    // drop below the counts before the failure, or a page not joined), the roster is whole and
    // everyone's video moves again. A rebuild on the same socket keeps the peer id; a rejoin
    // after a restart gets a new one.
    const rebuilt = people.map(() => false);
    const seconds = await until(people, from, cfg.timeoutS, rig.signal, (before, now, others, i) => {
      if (now.status !== 'joined' || others.some((name) => (now.frames[name] ?? 0) < start[i].frames[name])) rebuilt[i] = true;
      return rebuilt[i] && rosterWhole(now, others) && decodingEveryone(before, now, others);
    });
    const after = await readAll(people);
    return { seconds, extra: { samePeerIds: after.every((r, i) => r.selfId === ids[i]) } };
  } catch (err) {
    log(`  ${scenario}: trial failed: ${err instanceof Error ? err.message : String(err)}`);
    return { seconds: null, note: err instanceof Error ? err.message : String(err) };
  } finally {
    await Promise.all(people.map((p) => p.leave()));
  }
}

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const started = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'recovery-'));
  const files = writeParticipantVideos(dir, PARTICIPANTS);
  const results: Partial<Record<Scenario, TrialResult[]>> = {};
  try {
    for (const withLab of [false, true]) {
      const scenarios = cfg.scenarios.filter((s) => inLab(s) === withLab);
      if (!scenarios.length || signal.aborted) continue;
      const rig = await openRig(files, signal, withLab);
      try {
        log(`recovery: ${cfg.trials} trials of ${scenarios.join(', ')}, ${PARTICIPANTS} participants, server ${rig.pageBase}${withLab ? ' (network lab)' : ''}`);
        for (const scenario of scenarios) {
          const list: TrialResult[] = (results[scenario] = []);
          for (let t = 1; t <= cfg.trials && !signal.aborted; t++) {
            const r = await trial(rig, scenario, cfg, log);
            list.push(r);
            log(`  ${scenario} #${t}: ${r.seconds === null ? `not recovered${r.note ? ` (${r.note})` : ''}` : `${r.seconds.toFixed(2)} s`} ${JSON.stringify(r.extra ?? {})}`);
            await sleep(1000); // let the server close the room before the next one
          }
        }
      } finally {
        await closeRig(rig, log);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const summaries = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summarizeScenario(v)]));
  const fmt = (s: number | null) => (s === null ? '—' : `${s.toFixed(2)} s`);
  log('\nscenario          recovered  median    worst     other (medians; flags: trials true)');
  for (const [name, s] of Object.entries(summaries)) {
    const other = [...Object.entries(s.extras).map(([k, v]) => `${k} ${v}`), ...Object.entries(s.flags).map(([k, v]) => `${k} ${v}/${s.trials}`)].join(', ');
    log(`${name.padEnd(17)} ${`${s.recovered}/${s.trials}`.padEnd(10)} ${fmt(s.medianS).padEnd(9)} ${fmt(s.worstS).padEnd(9)} ${other}`);
  }
  mkdirSync(resolve(cfg.outPath, '..'), { recursive: true });
  const { trials, outageS, downS, cutS, timeoutS, scenarios } = cfg;
  writeFileSync(
    cfg.outPath,
    `${JSON.stringify(
      {
        benchmark: 'recovery',
        schemaVersion: 1,
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        interrupted: signal.aborted,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavgAfter: loadavg() },
        config: { trials, outageS, downS, cutS, timeoutS, scenarios, participants: PARTICIPANTS },
        results,
        summaries,
      },
      null,
      2,
    )}\n`,
  );
  log(`JSON: ${cfg.outPath}`);
  return EXIT.ok;
}

startCli(spec);
