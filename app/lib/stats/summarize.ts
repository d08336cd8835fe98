// Pure sums over one RTCStatsReport (or any captured list of stats objects), shared by both call modes.
// Nothing here calls getStats: engines fetch the reports, these functions only read them.
import type { CallStats, ConnectionPath, ConnectionStats, PeerStats, RawConnectionStats } from '../call/engine';
import type { Mode } from '../../../signaling/protocol';

/** An RTCStatsReport, a Map of stats, or an array of stats objects captured as JSON in tests. */
export interface StatsSource {
  values(): Iterable<unknown>;
}

interface RtpStats {
  type: string;
  kind?: string;
  mediaType?: string;
  bytesSent?: number;
  bytesReceived?: number;
  framesDecoded?: number;
}

export function* rtpStats(source: StatsSource, type: 'outbound-rtp' | 'inbound-rtp'): Generator<RtpStats> {
  for (const value of source.values()) {
    if (value && typeof value === 'object' && (value as RtpStats).type === type) yield value as RtpStats;
  }
}

// Older Chromium builds report the media kind as `mediaType`; newer ones as `kind`.
export function kindOf(stats: RtpStats): string | undefined {
  return stats.kind ?? stats.mediaType;
}

/** Bytes uploaded, summed over every outbound-rtp entry (every track and every simulcast layer). */
export function sumOutbound(source: StatsSource): number {
  let bytes = 0;
  for (const s of rtpStats(source, 'outbound-rtp')) bytes += s.bytesSent ?? 0;
  return bytes;
}

/** Bytes downloaded, summed over every inbound-rtp entry. */
export function sumInbound(source: StatsSource): number {
  let bytes = 0;
  for (const s of rtpStats(source, 'inbound-rtp')) bytes += s.bytesReceived ?? 0;
  return bytes;
}

// ---- whole-call summary (both modes) ------------------------------------------------------------

export type Entry = Record<string, unknown>;
/** A finite number or null: a missing or non-numeric field must never become NaN downstream. */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The selected candidate pair entry and its two candidates, or null before one is selected. */
export function selectedPair(stats: Entry[]): { pair: Entry; local?: Entry; remote?: Entry } | null {
  const byId = new Map(stats.map((s) => [s.id as string, s]));
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  let pair = transport ? byId.get(transport.selectedCandidatePairId as string) : undefined;
  // Some reports omit the transport entry: fall back to the nominated, succeeded pair.
  pair ??= stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  if (!pair) return null;
  return { pair, local: byId.get(pair.localCandidateId as string), remote: byId.get(pair.remoteCandidateId as string) };
}

/** The candidate pair the connection actually uses, from its transport's selectedCandidatePairId. */
export function selectedPath(stats: Entry[]): ConnectionPath {
  const selected = selectedPair(stats);
  if (!selected) return { localCandidateType: null, remoteCandidateType: null, protocol: null, relayed: false, rttMs: null };
  const { pair, local, remote } = selected;
  const localType = str(local?.candidateType);
  const rtt = num(pair.currentRoundTripTime);
  return {
    localCandidateType: localType,
    remoteCandidateType: str(remote?.candidateType),
    protocol: str(local?.protocol),
    relayed: localType === 'relay',
    rttMs: rtt === null ? null : rtt * 1000,
  };
}

/** One CallStats from the raw reports of every connection, the same way in both modes. */
export function summarizeCall(mode: Mode, raw: RawConnectionStats[], roster: { id: string; name: string }[]): CallStats {
  const perPeer = new Map<string, { framesDecoded: number; bytesReceived: number }>();
  const add = (peerId: string | null | undefined, frames: number, bytes: number) => {
    if (!peerId) return;
    const sum = perPeer.get(peerId) ?? { framesDecoded: 0, bytesReceived: 0 };
    sum.framesDecoded += frames;
    sum.bytesReceived += bytes;
    perPeer.set(peerId, sum);
  };
  let bytesSent = 0;
  let bytesReceived = 0;
  let uploadConnections = 0;
  const connectionDetails: ConnectionStats[] = raw.map((conn) => {
    const sent = sumOutbound(conn.stats);
    const received = sumInbound(conn.stats);
    bytesSent += sent;
    bytesReceived += received;
    if (conn.sending || sent > 0) uploadConnections += 1;
    for (const s of rtpStats(conn.stats, 'inbound-rtp')) {
      const peerId = conn.peerId ?? conn.peerByTrack?.[String((s as unknown as Entry).trackIdentifier)];
      add(peerId, kindOf(s) === 'video' ? (s.framesDecoded ?? 0) : 0, s.bytesReceived ?? 0);
    }
    return { id: conn.id, role: conn.role, peerId: conn.peerId, state: conn.state, bytesSent: sent, bytesReceived: received, ...selectedPath(conn.stats) };
  });
  const peers: PeerStats[] = roster.map((p) => ({
    id: p.id,
    name: p.name,
    framesDecoded: perPeer.get(p.id)?.framesDecoded ?? 0,
    bytesReceived: perPeer.get(p.id)?.bytesReceived ?? 0,
  }));
  return { mode, bytesSent, bytesReceived, connections: raw.length, uploadConnections, peers, connectionDetails };
}

/** A report as plain objects (JSON-safe, so tests and fixtures see exactly what the browser saw). */
export async function plainStats(report: Promise<RTCStatsReport>): Promise<Record<string, unknown>[]> {
  try {
    return [...(await report).values()].map((s) => ({ ...s }));
  } catch {
    return []; // a connection closing while we ask has no stats left, which is not an error
  }
}
