// What relaying and the SFU's extra hop cost on a network with distance: two participants behind
// home-style NATs (port-restricted cones, so a direct path exists), their cables and the server's
// delayed, and four kinds of call interleaved trial by trial in one run: mesh direct, mesh relayed
// (TURN forced), SFU, SFU relayed. Measured through the app's hooks: time to first frame, the
// selected pair's RTT, and the app's own ping between the two over the call's path.
// Run (root): npm run bench:lab-costs -- [--trials 5] [--host-delay 20] [--server-delay 15]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { EXIT, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { launchOnHosts, runCell, type CellResult } from '../lib/lab/call-cell';
import { labUnavailable, openLab } from '../lib/lab/lab';
import { summarize } from '../lib/measure/stats-math';

const USAGE = `Usage: npm run bench:lab-costs -- [options]   (as root: it builds network namespaces)
  --trials N          rounds of the four calls (default 5)
  --host-delay MS     each participant's cable, each way (default 20)
  --server-delay MS   the server's cable, each way (default 15; coturn and the SFU share the host)
  --out FILE          JSON (default test-results/bench/lab-costs.json)
Prints medians (and min..max) per kind of call, then the differences that matter: relayed − direct
and SFU − mesh, beside what the cable delays alone predict. Exit codes: 0 ok, 1 failed, 2 bad
arguments, 130 interrupted.`;

const options = {
  trials: { type: 'string', default: '5' },
  'host-delay': { type: 'string', default: '20' },
  'server-delay': { type: 'string', default: '15' },
  out: { type: 'string', default: 'test-results/bench/lab-costs.json' },
} as const;

function configure(v: CliValues<typeof options>) {
  return {
    trials: numberArg('trials', v.trials, 1, 50),
    hostDelay: numberArg('host-delay', v['host-delay'], 0, 1000),
    serverDelay: numberArg('server-delay', v['server-delay'], 0, 1000),
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const KINDS = [
  { id: 'mesh-direct', mode: 'mesh', relay: false },
  { id: 'mesh-relayed', mode: 'mesh', relay: true },
  { id: 'sfu', mode: 'sfu', relay: false },
  { id: 'sfu-relayed', mode: 'sfu', relay: true },
] as const;
type KindId = (typeof KINDS)[number]['id'];
const METRICS = ['joinMs', 'pairRttMs', 'pingMs'] as const;
type Metric = (typeof METRICS)[number];

/** One call's figures: the slower side's first frame, the mean of both sides' pair RTT and ping. */
function figures(r: CellResult): Record<Metric, number | null> {
  const mean = (xs: (number | null | undefined)[]) => {
    const known = xs.filter((x): x is number => typeof x === 'number');
    return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  };
  const joins = r.sides.map((s) => s.firstFrameMs);
  return {
    joinMs: joins.every((j) => j !== null) ? Math.max(...(joins as number[])) : null,
    pairRttMs: mean(r.sides.map((s) => s.path?.rttMs)),
    pingMs: mean(r.sides.map((s) => s.pingMs)),
  };
}

async function run(cfg: Config, { signal, log, error }: CliContext): Promise<number> {
  const why = labUnavailable();
  if (why) {
    error(`bench:lab-costs: ${why}`);
    return EXIT.failed;
  }
  const videos = mkdtempSync(join(tmpdir(), 'lab-costs-'));
  const lab = await openLab(['port-restricted', 'port-restricted']);
  const results: Record<KindId, Record<Metric, number | null>[]> = { 'mesh-direct': [], 'mesh-relayed': [], sfu: [], 'sfu-relayed': [] };
  const started = new Date();
  try {
    for (const host of lab.hosts) await lab.shape(host, { delayMs: cfg.hostDelay });
    await lab.shape('server', { delayMs: cfg.serverDelay });
    const server = await lab.startServer({ ice: 'turn' });
    const hosts = [lab.hosts[0], lab.hosts[1]] as const;
    const slots = await launchOnHosts(lab, server, hosts, writeParticipantVideos(videos, 2));
    try {
      log(`lab-costs: ${cfg.trials} rounds; cables ${cfg.hostDelay} ms each way per participant, ${cfg.serverDelay} ms for the server`);
      for (let t = 0; t < cfg.trials && !signal.aborted; t++) {
        // Rotate the order each round, so no kind always runs first (on a cold machine) or last.
        for (let k = 0; k < KINDS.length && !signal.aborted; k++) {
          const kind = KINDS[(k + t) % KINDS.length];
          const r = await runCell({ server, hosts, slots: [slots[0], slots[1]], mode: kind.mode, relay: kind.relay, timeoutMs: 45_000, settleMs: 4_000, signal });
          const f = figures(r);
          results[kind.id].push(f);
          log(`  #${t + 1} ${kind.id.padEnd(13)} ${r.connected ? `join ${f.joinMs} ms, pair RTT ${f.pairRttMs?.toFixed(1)} ms, ping ${f.pingMs?.toFixed(1)} ms (${r.sides.map((s) => s.path?.local).join('↔')})` : `not connected: ${r.sides.map((s) => s.error ?? '?').join('; ')}`}`);
        }
      }
    } finally {
      await Promise.all(slots.map((s) => s.close()));
      await server.stop();
    }
  } finally {
    const left = await lab.close();
    if (left.length) error(`lab: the host differs after teardown:\n  ${left.join('\n  ')}`);
    rmSync(videos, { recursive: true, force: true });
  }

  const median = (id: KindId, m: Metric) => {
    const xs = results[id].map((f) => f[m]).filter((x): x is number => x !== null);
    return xs.length ? summarize(xs) : null;
  };
  const fmt = (s: ReturnType<typeof median>) => (s ? `${s.p50.toFixed(0)} (${s.min.toFixed(0)}..${s.max.toFixed(0)})` : '—');
  log(`\nkind           join ms            pair RTT ms        ping RTT ms (medians, min..max)`);
  for (const { id } of KINDS) log(`${id.padEnd(14)} ${fmt(median(id, 'joinMs')).padEnd(18)} ${fmt(median(id, 'pairRttMs')).padEnd(18)} ${fmt(median(id, 'pingMs'))}`);
  const diff = (a: KindId, b: KindId, m: Metric) => {
    const x = median(a, m);
    const y = median(b, m);
    return x && y ? x.p50 - y.p50 : null;
  };
  const h = cfg.hostDelay;
  const s = cfg.serverDelay;
  // What the cables alone predict: a round trip crosses each cable on its way twice.
  const predicted = { direct: 4 * h, relayed: 4 * h + 4 * s, sfuPair: 2 * h + 2 * s, sfuEndToEnd: 4 * h + 4 * s };
  const differences = {
    relayedMinusDirectPingMs: diff('mesh-relayed', 'mesh-direct', 'pingMs'),
    relayedMinusDirectJoinMs: diff('mesh-relayed', 'mesh-direct', 'joinMs'),
    sfuMinusMeshPingMs: diff('sfu', 'mesh-direct', 'pingMs'),
    sfuMinusMeshJoinMs: diff('sfu', 'mesh-direct', 'joinMs'),
  };
  const ms = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(0)} ms`);
  log(`\nrelayed − direct (mesh): ping ${ms(differences.relayedMinusDirectPingMs)} (cables predict +${4 * s} ms), join ${ms(differences.relayedMinusDirectJoinMs)}`);
  log(`SFU − mesh (direct):     ping ${ms(differences.sfuMinusMeshPingMs)} (cables predict +${4 * s} ms), join ${ms(differences.sfuMinusMeshJoinMs)}`);
  mkdirSync(dirname(cfg.outPath), { recursive: true });
  writeFileSync(
    cfg.outPath,
    `${JSON.stringify({ benchmark: 'lab-costs', schemaVersion: 1, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), interrupted: signal.aborted, config: { trials: cfg.trials, hostDelayMs: h, serverDelayMs: s }, predictedRttMs: predicted, results, medians: Object.fromEntries(KINDS.map(({ id }) => [id, Object.fromEntries(METRICS.map((m) => [m, median(id, m)?.p50 ?? null]))])), differences }, null, 2)}\n`,
  );
  log(`JSON: ${cfg.outPath}`);
  return EXIT.ok;
}

const spec: CliSpec<typeof options, Config> = { name: 'bench:lab-costs', usage: USAGE, options, configure, run };
startCli(spec);
