// The cluster benchmark's records and their summary: medians with spread over runs and trials, and
// the readable table it prints. Kept apart from the command so the command stays about orchestration.
import { formatSpread, spreadOf, type Spread } from '../measure/spread';
import { crossRatio, type NodeRates } from './cluster-figures';

/** One measured window of the SFU room in one layout. */
export interface LayoutRun {
  layout: 'one node' | 'spread';
  /** The node id each participant's page named (snapshot.node; null on a single server). */
  nodeSeen: (string | null)[];
  /** Node index each participant was counted on (where its page said it was, else where it was sent). */
  placed: number[];
  settle: { settled: boolean; seconds: number };
  nodes: NodeRates[];
  /** Per node: what it sent the other node / what one copy per stream would be (kbit/s). */
  crossKbps: number[];
  expectedCrossKbps: number[];
  /** Per node at the window's end: media producers it pipes to the other node (cluster_piped_producers out). */
  pipedProducersOut: number[];
  /** Each participant's upload over the window (median of its 1 Hz samples, kbit/s). */
  uploadsKbps: number[];
  /** Ping RTTs over the window (every 1 Hz sample of every participant), by pair kind, ms. */
  rttSameMs: number[];
  rttCrossMs: number[];
}

/** One node failure: ms from the kill until the call was whole again, overall and per participant (null: not within the timeout). */
export interface FailureTrial {
  ms: number | null;
  participantsMs: (number | null)[];
  /** Which participants sat on the killed node. */
  onKilledNode: boolean[];
  /** Median time between polls: reading four pages' stats on a loaded machine takes longer than the 100 ms pause, and a time is only as fine as this. */
  pollIntervalMs: number;
}

const layoutSummary = (rs: LayoutRun[]) => ({
  runs: rs.length,
  settled: rs.filter((r) => r.settle.settled).length,
  cpuPct: [0, 1].map((i) => spreadOf(rs.map((r) => r.nodes[i].cpuPct))),
  egressKbps: [0, 1].map((i) => spreadOf(rs.map((r) => r.nodes[i].egressKbps))),
  crossKbps: [0, 1].map((i) => spreadOf(rs.map((r) => r.crossKbps[i]))),
  expectedCrossKbps: [0, 1].map((i) => spreadOf(rs.map((r) => r.expectedCrossKbps[i]))),
  crossOverExpected: [0, 1].map((i) => spreadOf(rs.map((r) => crossRatio(r.crossKbps[i], r.expectedCrossKbps[i])))),
  pipedProducersOut: [0, 1].map((i) => spreadOf(rs.map((r) => r.pipedProducersOut[i]))),
  rttSameMs: spreadOf(rs.flatMap((r) => r.rttSameMs)),
  rttCrossMs: spreadOf(rs.flatMap((r) => r.rttCrossMs)),
});

const medianDiff = (a: Spread, b: Spread) => (a.n > 0 && b.n > 0 ? a.median - b.median : null);

export function summarize(runs: LayoutRun[], failures: Record<string, FailureTrial[]>) {
  const oneNode = layoutSummary(runs.filter((r) => r.layout === 'one node'));
  const spread = layoutSummary(runs.filter((r) => r.layout === 'spread'));
  const failure = Object.fromEntries(
    Object.entries(failures)
      .filter(([, v]) => v.length)
      .map(([mode, v]) => {
        const per = (killed: boolean) => spreadOf(v.flatMap((t) => t.participantsMs.filter((_, i) => t.onKilledNode[i] === killed)));
        return [mode, { trials: v.length, recovered: v.filter((t) => t.ms !== null).length, ms: spreadOf(v.map((t) => t.ms)), movedMs: per(true), stayedMs: per(false), pollIntervalMs: spreadOf(v.map((t) => t.pollIntervalMs)) }];
      }),
  );
  return {
    oneNode,
    spread,
    // Two baselines for the cascade's extra hop: same-node pairs in the same spread room, and every pair of the room on one node.
    cascadeAddedRttMs: { vsSameNodePairs: medianDiff(spread.rttCrossMs, spread.rttSameMs), vsOneNodeRoom: medianDiff(spread.rttCrossMs, oneNode.rttSameMs) },
    failure,
  };
}
export type ClusterSummary = ReturnType<typeof summarize>;

const ms = (v: number | null) => (v === null ? 'no samples' : `${v.toFixed(1)} ms`);
/** Cross-node pings need the cascade to pipe the ping channels: without them a pair kind has no samples, said as such. */
const rttText = (sp: Spread) => (sp.n ? `${formatSpread(sp, 1)} ms (${sp.n} samples)` : 'no samples');
const sec = (s: Spread, pick: 'median' | 'max') => (s.n ? `${(s[pick] / 1000).toFixed(2)} s` : '—');

export function printSummary(s: ClusterSummary, log: (line: string) => void): void {
  const row = (name: string, sp: Spread[], digits = 0) => `${name.padEnd(34)} ${sp.map((x) => formatSpread(x, digits).padEnd(22)).join(' ')}`;
  log('\nmedian (min–max) over the runs            node-1                 node-2');
  for (const [label, l] of [['all on node-1', s.oneNode], ['spread half and half', s.spread]] as const) {
    log(`${label} (${l.runs} runs, ${l.settled} with a settled upload):`);
    log(row('  CPU, % of one core', l.cpuPct));
    log(row('  egress to browsers, kbps', l.egressKbps));
    log(row('  sent to the other node, kbps', l.crossKbps));
    log(row('  one copy per stream, kbps', l.expectedCrossKbps));
    log(row('  measured / one copy per stream', l.crossOverExpected, 2));
    log(row('  media producers piped out', l.pipedProducersOut));
    log(`  ping RTT: same-node pairs ${rttText(l.rttSameMs)}, cross-node pairs ${rttText(l.rttCrossMs)}`);
  }
  const a = s.cascadeAddedRttMs;
  log(`RTT the cascade adds (medians): cross-node − same-node pairs when spread ${ms(a.vsSameNodePairs)}; cross-node pairs − the room on one node ${ms(a.vsOneNodeRoom)}`);
  for (const [mode, f] of Object.entries(s.failure)) {
    log(
      `node-2 killed, ${mode}: whole again in ${f.recovered}/${f.trials} trials, median ${sec(f.ms, 'median')}, worst ${sec(f.ms, 'max')}; ` +
        `per participant: moved off node-2 median ${sec(f.movedMs, 'median')} (worst ${sec(f.movedMs, 'max')}), stayed on node-1 median ${sec(f.stayedMs, 'median')} (worst ${sec(f.stayedMs, 'max')}); ` +
        `polled every ${formatSpread(f.pollIntervalMs)} ms`,
    );
  }
}
