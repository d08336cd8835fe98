// The maths of the cluster benchmark, pure: rates from two readings of the nodes' counters, the
// cascade's measured traffic against "one copy per stream per remote node", RTT by pair kind, and
// when a call was whole again after a node died.

/** One node's counters at one moment: CPU seconds of its process tree, and its /metrics bytes. */
export interface NodeReading {
  t: number;
  cpuS: number | null;
  /** SFU transports to browsers (sfu_transport_bytes out). */
  egressBytes: number;
  /** Through its pipes to the other node, and from it (cluster_pipe_bytes). */
  pipeOutBytes: number;
  pipeInBytes: number;
}

export interface NodeRates {
  cpuPct: number | null;
  egressKbps: number;
  pipeOutKbps: number;
  pipeInKbps: number;
}

const kbps = (bytes: number, seconds: number) => (bytes * 8) / 1000 / seconds;

export function nodeRates(a: NodeReading, b: NodeReading): NodeRates {
  const s = (b.t - a.t) / 1000;
  return {
    cpuPct: a.cpuS === null || b.cpuS === null ? null : ((b.cpuS - a.cpuS) / s) * 100,
    egressKbps: kbps(b.egressBytes - a.egressBytes, s),
    pipeOutKbps: kbps(b.pipeOutBytes - a.pipeOutBytes, s),
    pipeInKbps: kbps(b.pipeInBytes - a.pipeInBytes, s),
  };
}

/**
 * What crosses from each node to the other under "one copy per stream per remote node": the
 * uploads of the participants on that node, when the other node has anyone to receive them.
 */
export function expectedCrossKbps(uploadsKbps: readonly number[], nodeOf: readonly number[], from: number): number {
  const receiversElsewhere = nodeOf.some((n) => n !== from);
  return receiversElsewhere ? uploadsKbps.reduce((sum, up, i) => sum + (nodeOf[i] === from ? up : 0), 0) : 0;
}

/** Measured over expected inter-node traffic; null when nothing was expected (no receivers across, or no upload read). */
export function crossRatio(measuredKbps: number, expectedKbps: number): number | null {
  return expectedKbps > 0 && Number.isFinite(measuredKbps) ? measuredKbps / expectedKbps : null;
}

/**
 * Ping RTTs split by whether the two participants sit on the same node. `pings[i]` holds participant
 * i's readings over the window (its 1 Hz samples: RTT by the other participant's index), so each pair
 * gives about one RTT per second; missing ones (null: no pong lately) are skipped.
 */
export function rttByPairKind(pings: readonly (readonly Record<number, number | null>[])[], nodeOf: readonly number[]): { same: number[]; cross: number[] } {
  const same: number[] = [];
  const cross: number[] = [];
  pings.forEach((rows, i) => {
    for (const row of rows) for (const [j, ms] of Object.entries(row)) if (ms !== null) (nodeOf[i] === nodeOf[Number(j)] ? same : cross).push(ms);
  });
  return { same, cross };
}

/**
 * Which node (index) each participant actually sits on: the node its page names (snapshot.node),
 * else the one it was sent to. The figures follow where participants are, not where they were asked to be.
 */
export function placedOn(intended: readonly number[], seen: readonly (string | null)[], nodeIds: readonly string[]): number[] {
  return intended.map((n, i) => {
    const k = seen[i] ? nodeIds.indexOf(seen[i] as string) : -1;
    return k >= 0 ? k : n;
  });
}

/** A remote participant's video as one participant decodes it: its peer id now (a rejoin gives a new one) and frames so far. */
export interface DecodedFrom {
  id: string;
  frames: number;
}

/** One poll after the kill: per participant, whether its signaling is back on a live node, and what it decodes, by remote name. */
export interface RecoveryPoll {
  t: number;
  participants: { back: boolean; from: Record<string, DecodedFrom> }[];
}

/** New frames since `before`: more of them from the same peer id, or any from a new one (it rejoined). */
const moved = (now: DecodedFrom, before: DecodedFrom | undefined) => (before && before.id === now.id ? now.frames > before.frames : now.frames > 0);

/** Whether participant `i` is back at poll `k` and decoded new frames from each of the `others` since the poll `windowMs` before. */
function decodingAgain(polls: readonly RecoveryPoll[], k: number, i: number, others: number, windowMs: number): boolean {
  const now = polls[k];
  const before = polls.slice(0, k).reverse().find((p) => now.t - p.t >= windowMs);
  if (!before) return false;
  const p = now.participants[i];
  const from = Object.entries(p.from);
  return p.back && from.length === others && from.every(([name, d]) => moved(d, before.participants[i].from[name]));
}

/**
 * When the call was whole again: the first poll at which every participant is back and has decoded
 * new frames from each of the `others` other participants since the poll `windowMs` before. Null
 * when it never was.
 */
export function wholeAgainAt(polls: readonly RecoveryPoll[], others: number, windowMs: number): number | null {
  for (let k = 0; k < polls.length; k++) {
    if (polls[k].participants.every((_, i) => decodingAgain(polls, k, i, others, windowMs))) return polls[k].t;
  }
  return null;
}

/**
 * Per participant, the first poll at which it alone was decoding everyone again (null: never). Each
 * is at most the call's wholeAgainAt, which needs all of them at the same poll.
 */
export function participantsAgainAt(polls: readonly RecoveryPoll[], others: number, windowMs: number): (number | null)[] {
  const count = polls[0]?.participants.length ?? 0;
  return Array.from({ length: count }, (_, i) => {
    const k = polls.findIndex((_, j) => decodingAgain(polls, j, i, others, windowMs));
    return k < 0 ? null : polls[k].t;
  });
}
