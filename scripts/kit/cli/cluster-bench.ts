// Cluster benchmark: what spreading an SFU room over two server nodes costs, and how long a room
// takes to be whole again when a node dies. Starts its own Redis and two nodes on this machine
// (the kit's cluster library), and headless Chromium participants (one process each).
//   1. The same SFU room all on node-1, then spread half and half: each node's CPU and egress to
//      browsers, the traffic between the nodes against "one copy per stream per remote node", and
//      the ping RTT of same-node and cross-node pairs.
//   2. Node failure: a room on both nodes, node-2 SIGKILLed; the time until every participant is back
//      on a live node and decodes every other one again (mesh and SFU), over several trials.
// Run: npm run bench:cluster -- [--participants N] [--seconds S] [--runs R] [--trials T] [--failure-mode sfu|mesh|both]
// Records and the printed table: lib/cluster/cluster-summary.ts; the maths: lib/cluster/cluster-figures.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { roomUrl } from '../lib/browser/room-url';
import { waitSettled } from '../lib/browser/wait-settled';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { EXIT, numberArg, oneOf, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { expectedCrossKbps, nodeRates, participantsAgainAt, placedOn, rttByPairKind, wholeAgainAt, type NodeReading, type RecoveryPoll } from '../lib/cluster/cluster-figures';
import { printSummary, summarize, type FailureTrial, type LayoutRun } from '../lib/cluster/cluster-summary';
import { startNodes, type Nodes } from '../lib/cluster/nodes';
import { startRedis, type RedisHandle } from '../lib/cluster/redis-server';
import { processTreeCpu } from '../lib/measure/proc';
import { DEFAULT_SETTLE_RULE, describeSettleRule } from '../lib/measure/settle';
import { spreadOf } from '../lib/measure/spread';
import { writeBenchJson } from '../lib/report/bench-json';
import { metricValue } from '../lib/server-process';

const USAGE = `Usage: npm run bench:cluster -- [options]
  --participants N   participants in the measured SFU room (default 4, 2 to 8)
  --seconds S        measurement window once uploads have settled (default 15)
  --settle-max S     longest wait for settled uploads; then measured anyway (default 40)
  --runs R           repeats of each layout (default 3)
  --trials T         node failures per mode (default 5; 0 skips them)
  --failure-mode M   sfu, mesh or both (default both)
  --out FILE         JSON output (default test-results/bench/cluster.json)
Starts Redis and 2 server nodes on free loopback ports, and one headless Chromium per participant.
Exit codes: 0 ok (whatever the figures), 1 failed, 2 bad arguments, 130 interrupted.`;

const options = {
  participants: { type: 'string', default: '4' },
  seconds: { type: 'string', default: '15' },
  'settle-max': { type: 'string', default: '40' },
  runs: { type: 'string', default: '3' },
  trials: { type: 'string', default: '5' },
  'failure-mode': { type: 'string', default: 'both' },
  out: { type: 'string', default: 'test-results/bench/cluster.json' },
} as const;

function configure(v: CliValues<typeof options>) {
  return {
    participants: numberArg('participants', v.participants, 2, 8),
    seconds: numberArg('seconds', v.seconds, 3, 600),
    settleMax: numberArg('settle-max', v['settle-max'], 3, 300),
    runs: numberArg('runs', v.runs, 1, 20),
    trials: numberArg('trials', v.trials, 0, 20),
    failureModes: { both: ['mesh', 'sfu'], mesh: ['mesh'], sfu: ['sfu'] }[oneOf('failure-mode', v['failure-mode'], ['both', 'mesh', 'sfu'] as const)] as ('mesh' | 'sfu')[],
    outPath: resolve(v.out),
  };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'cluster', usage: USAGE, options, configure, run };

/** At least this long after everyone decodes everyone before the settle rule may end the wait. */
const SETTLE_MIN_S = 3;
const JOIN_TIMEOUT_MS = 60_000;
const RECOVERY_TIMEOUT_MS = 60_000;
/** "Decoding again" means new frames from everyone within this long. */
const DECODING_WINDOW_MS = 500;

interface Cluster {
  redis: RedisHandle;
  nodes: Nodes;
}

async function startCluster(): Promise<Cluster> {
  const redis = await startRedis();
  try {
    // RTC ports apart from a server the machine may run on the defaults (40000-40999).
    return { redis, nodes: await startNodes({ count: 2, redisUrl: redis.url, rtcBasePort: 46000, env: { SFU_NUM_WORKERS: '1' } }) };
  } catch (err) {
    await redis.stop();
    throw err;
  }
}

async function stopCluster(c: Cluster | null): Promise<void> {
  await c?.nodes.stop();
  await c?.redis.stop();
}

/** Opens one participant per entry of `nodeOf` on that node (0 or 1), one after another, until all decode everyone. */
async function openRoom(c: Cluster, slots: BrowserSlot[], mode: 'mesh' | 'sfu', nodeOf: number[], signal: AbortSignal): Promise<QaParticipant[]> {
  const room = `bench-${mode}-${Math.random().toString(36).slice(2, 7)}`;
  const all: QaParticipant[] = [];
  for (const [i, n] of nodeOf.entries()) {
    const p = await QaParticipant.open(slots[i], `p${i + 1}`);
    all.push(p);
    await p.navigate(roomUrl(c.nodes.nodes[n].url, room, { mode, name: p.name, autojoin: true }), { expectedPeers: i, timeoutMs: JOIN_TIMEOUT_MS, signal });
    if (!(await p.joined()).ok) throw new Error(`${p.name} could not join on node-${n + 1}: ${JSON.stringify(p.joinError)}`);
  }
  const decoding = await Promise.all(all.map((p) => waitDecodingAll(p, nodeOf.length - 1, signal)));
  if (!decoding.every(Boolean)) throw new Error(`not everyone decodes everyone in ${room}`);
  return all;
}

async function waitDecodingAll(p: QaParticipant, others: number, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + JOIN_TIMEOUT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    const r = await p.read();
    if (r && r.frames.filter((f) => f.framesDecoded > 0).length >= others) return true;
    await sleep(250);
  }
  return false;
}

async function readNode(c: Cluster, i: number): Promise<NodeReading & { pipedOut: number }> {
  const node = c.nodes.nodes[i];
  const other = c.nodes.nodes[1 - i].id;
  // Bounded: a node that stops answering fails the run instead of hanging it.
  const text = await (await fetch(`${node.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  return {
    t: Date.now(),
    cpuS: processTreeCpu(node.pid),
    egressBytes: metricValue(text, 'sfu_transport_bytes', { direction: 'out' }) ?? 0,
    pipeOutBytes: metricValue(text, 'cluster_pipe_bytes', { node: other, direction: 'out' }) ?? 0,
    pipeInBytes: metricValue(text, 'cluster_pipe_bytes', { node: other, direction: 'in' }) ?? 0,
    pipedOut: metricValue(text, 'cluster_piped_producers', { node: other, direction: 'out' }) ?? 0,
  };
}

async function measureLayout(c: Cluster, slots: BrowserSlot[], nodeOf: number[], cfg: Config, signal: AbortSignal, log: (line: string) => void): Promise<LayoutRun> {
  const all = await openRoom(c, slots, 'sfu', nodeOf, signal);
  try {
    const settle = await waitSettled(all, { rule: DEFAULT_SETTLE_RULE, minSeconds: SETTLE_MIN_S, capSeconds: cfg.settleMax }, signal);
    const before = await Promise.all([0, 1].map((i) => readNode(c, i)));
    const since = Math.min(...(await Promise.all(all.map(async (p) => (await p.read())?.sample?.timestamp ?? 0))));
    await sleep(cfg.seconds * 1000, undefined, { signal }).catch(() => undefined);
    const after = await Promise.all([0, 1].map((i) => readNode(c, i)));
    const rates = [0, 1].map((i) => nodeRates(before[i], after[i]));
    const samples = await Promise.all(all.map((p) => p.samplesSince(since)));
    // Each participant's upload over the window: the median of its 1 Hz samples (what it encodes and sends).
    const uploads = samples.map((s) => finiteOr0(spreadOf(s.map((x) => x.upload.totalKbps)).median));
    const ids = await Promise.all(all.map(async (p) => (await p.read())?.selfId ?? ''));
    const nodeSeen = await Promise.all(all.map((p) => p.page.evaluate(READ_NODE_JS).catch(() => null) as Promise<string | null>));
    const placed = placedOn(nodeOf, nodeSeen, c.nodes.nodes.map((n) => n.id));
    if (placed.some((n, i) => n !== nodeOf[i])) log(`  note: the pages sit on ${placed.map((n) => `node-${n + 1}`).join(', ')}, not where they were sent; the figures follow where they are`);
    // Every sample of the window, not only the last: one ping per peer per second gives a median per pair kind worth its name.
    const pings = samples.map((s) => s.map((x) => Object.fromEntries(Object.entries(x.pingRtt ?? {}).map(([id, ms]) => [ids.indexOf(id), ms]).filter(([j]) => (j as number) >= 0))));
    const rtt = rttByPairKind(pings, placed);
    return {
      layout: nodeOf.every((n) => n === 0) ? 'one node' : 'spread',
      nodeSeen,
      placed,
      settle: { settled: settle.settled, seconds: Math.round(settle.seconds) },
      nodes: rates,
      crossKbps: rates.map((r) => r.pipeOutKbps),
      expectedCrossKbps: [0, 1].map((n) => expectedCrossKbps(uploads, placed, n)),
      pipedProducersOut: after.map((r) => r.pipedOut),
      uploadsKbps: uploads.map(Math.round),
      rttSameMs: rtt.same,
      rttCrossMs: rtt.cross,
    };
  } finally {
    await Promise.all(all.map((p) => p.leave()));
  }
}

/**
 * One node failure on a fresh cluster: a room on both nodes, node-2 killed; when the call, and each
 * participant, decoded everyone again. Null when interrupted (not a trial that failed to recover).
 */
async function failureTrial(slots: BrowserSlot[], mode: 'mesh' | 'sfu', signal: AbortSignal): Promise<FailureTrial | null> {
  const c = await startCluster();
  const nodeOf = [0, 1, 0, 1];
  const killed = c.nodes.nodes[1];
  let all: QaParticipant[] = [];
  try {
    all = await openRoom(c, slots, mode, nodeOf, signal);
    await sleep(3_000, undefined, { signal }).catch(() => undefined);
    const killedAt = Date.now();
    await killed.kill('SIGKILL');
    const polls: RecoveryPoll[] = [];
    let at: number | null = null;
    // Bounded by the timeout; each round reads every page (getStats), then waits 100 ms.
    while (at === null && Date.now() - killedAt < RECOVERY_TIMEOUT_MS && !signal.aborted) {
      const reads = await Promise.all(all.map((p) => p.page.evaluate(READ_RECOVERY_JS).catch(() => null) as Promise<RecoveryRead | null>));
      polls.push({
        t: Date.now() - killedAt,
        participants: reads.map((r) => ({
          back: !!r && r.signaling === 'connected' && r.status === 'joined' && r.node !== killed.id,
          from: Object.fromEntries((r?.peers ?? []).map((p) => [p.name, { id: p.id, frames: p.frames }])),
        })),
      });
      at = wholeAgainAt(polls, nodeOf.length - 1, DECODING_WINDOW_MS);
      if (at === null) await sleep(100);
    }
    if (at === null && signal.aborted) return null;
    const pollIntervalMs = Math.round(spreadOf(polls.slice(1).map((p, k) => p.t - polls[k].t)).median);
    return { ms: at, participantsMs: participantsAgainAt(polls, nodeOf.length - 1, DECODING_WINDOW_MS), onKilledNode: nodeOf.map((n) => n === 1), pollIntervalMs };
  } finally {
    await Promise.all(all.map((p) => p.leave()));
    await stopCluster(c);
  }
}

interface RecoveryRead {
  status: string;
  signaling: string;
  node: string | null;
  peers: { id: string; name: string; frames: number }[];
}

/** The node the page's signaling goes through (snapshot.node; null or absent on a single server). */
const READ_NODE_JS = `(() => window.__call?.getSnapshot().node ?? null)()`;

const READ_RECOVERY_JS = `(async () => {
  const c = window.__call;
  const snap = c.getSnapshot();
  const stats = await c.getStats();
  return { status: snap.status, signaling: snap.signaling, node: snap.node, peers: stats.peers.map((p) => ({ id: p.id, name: p.name, frames: p.framesDecoded })) };
})()`;

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const startedAt = new Date();
  const loadavgBefore = loadavg();
  log(`cluster: ${cfg.participants} participants, ${cfg.runs} runs per layout, ${cfg.trials} failures per mode; load average ${loadavgBefore.map((l) => l.toFixed(2)).join(' ')}${loadavgBefore[0] > 2 ? ' (the machine is busy: figures are not those of an idle machine)' : ''}`);
  const dir = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
  const slots: BrowserSlot[] = [];
  const runs: LayoutRun[] = [];
  const failures: Record<string, FailureTrial[]> = { mesh: [], sfu: [] };
  let cluster: Cluster | null = null;
  try {
    for (const file of writeParticipantVideos(dir, Math.max(cfg.participants, 4))) slots.push(await BrowserSlot.launch(file));
    cluster = await startCluster();
    const spread = Array.from({ length: cfg.participants }, (_, i) => i % 2);
    for (let r = 1; r <= cfg.runs && !signal.aborted; r++) {
      for (const nodeOf of [spread.map(() => 0), spread]) {
        const result = await measureLayout(cluster, slots, nodeOf, cfg, signal, log);
        runs.push(result);
        log(`  run ${r}, ${result.layout}: CPU ${result.nodes.map((n) => pct(n.cpuPct)).join(' / ')}, egress ${result.nodes.map((n) => kb(n.egressKbps)).join(' / ')}, between nodes ${result.crossKbps.map(kb).join(' / ')} (one copy per stream: ${result.expectedCrossKbps.map(kb).join(' / ')})`);
      }
    }
    await stopCluster(cluster);
    cluster = null;
    for (const mode of cfg.failureModes) {
      for (let t = 1; t <= cfg.trials && !signal.aborted; t++) {
        const trial = await failureTrial(slots, mode, signal);
        if (!trial) break;
        failures[mode].push(trial);
        const each = trial.participantsMs.map((v, i) => `p${i + 1}${trial.onKilledNode[i] ? '*' : ''} ${v === null ? '—' : (v / 1000).toFixed(2)}`).join(', ');
        log(`  ${mode} failure ${t}: ${trial.ms === null ? `not whole within ${RECOVERY_TIMEOUT_MS / 1000} s` : `whole again ${(trial.ms / 1000).toFixed(2)} s after the kill`} (per participant, s; * was on node-2: ${each}; polled every ${trial.pollIntervalMs} ms)`);
      }
    }
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    await stopCluster(cluster);
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = summarize(runs, failures);
  printSummary(summary, log);
  const loadavgAfter = loadavg();
  log(`load average at the start ${fmtLoad(loadavgBefore)}, at the end ${fmtLoad(loadavgAfter)}${Math.max(loadavgBefore[0], loadavgAfter[0]) > 2 ? ': above 2 on a shared machine, so CPU and RTT figures are rough' : ''}`);
  log(`settle rule: ${describeSettleRule(DEFAULT_SETTLE_RULE, cfg.settleMax)}`);
  writeBenchJson(cfg.outPath, 'cluster', { startedAt, interrupted: signal.aborted, loadavgBefore }, { config: cfg, settleRule: DEFAULT_SETTLE_RULE, runs, failures, summary });
  log(`JSON: ${cfg.outPath}`);
  return EXIT.ok;
}

const finiteOr0 = (v: number) => (Number.isFinite(v) ? v : 0);
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v)} %`);
const kb = (v: number) => `${Math.round(v)} kbps`;
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');

startCli(spec);
