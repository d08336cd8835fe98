// The one set of readers over raw getStats() entries (either mode): RTP streams, their kind and
// peer, and the selected candidate pair. Pure: engines fetch the reports, these only read them.
import type { RawConnectionStats } from '../call/engine';

export type Entry = Record<string, unknown>;

/** A finite number or null: a missing or non-numeric field must never become NaN downstream. */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function rtpEntries(stats: Entry[], type: 'outbound-rtp' | 'inbound-rtp'): Entry[] {
  return stats.filter((s) => s.type === type);
}

/** 'audio' or 'video'. Older Chromium builds report the kind as `mediaType`, newer ones as `kind`. */
export function kindOf(entry: Entry): 'audio' | 'video' {
  return (entry.kind ?? entry.mediaType) === 'audio' ? 'audio' : 'video';
}

/** The remote peer whose media an inbound stream carries: the mesh link's peer, or the SFU consumer's. */
export function peerOfInbound(conn: RawConnectionStats, entry: Entry): string | null {
  return conn.peerId ?? conn.peerByTrack?.[String(entry.trackIdentifier)] ?? null;
}

/** The path a connection's packets take: its selected ICE candidate pair. */
export interface ConnectionPath {
  /** host | srflx | prflx | relay, or null before a pair is selected. */
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  /** udp | tcp between us and the first hop. */
  protocol: string | null;
  /** True when our side goes through a TURN relay. */
  relayed: boolean;
  /** Round trip of the selected pair (mesh: to the peer; SFU: to the server), ms. */
  rttMs: number | null;
}

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

export function selectedPath(stats: Entry[]): ConnectionPath {
  const selected = selectedPair(stats);
  if (!selected) return { localCandidateType: null, remoteCandidateType: null, protocol: null, relayed: false, rttMs: null };
  const { pair, local, remote } = selected;
  const localType = str(local?.candidateType);
  const rtt = num(pair.currentRoundTripTime);
  return {
    localCandidateType: localType,
    remoteCandidateType: str(remote?.candidateType),
    // A relay candidate's own protocol is the relayed leg's (always udp); ours to the TURN server is relayProtocol.
    protocol: (localType === 'relay' ? str(local?.relayProtocol) : null) ?? str(local?.protocol),
    relayed: localType === 'relay',
    // Whole microseconds: float noise (1.7000000001862645) is not a measurement.
    rttMs: rtt === null ? null : Math.round(rtt * 1_000_000) / 1000,
  };
}
