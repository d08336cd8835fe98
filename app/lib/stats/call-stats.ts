// The QA contract's getStats() shape: cumulative totals of one call, read off a normalized sample
// (so the QA hook, the panel and the kit all count bytes the same way).
import type { Mode } from '../../../signaling/protocol';
import type { ConnectionPath } from './reports';
import type { Sample } from './sample';

export interface PeerStats {
  id: string;
  name: string;
  framesDecoded: number;
  bytesReceived: number;
  /** Frames decoded from this peer's screen share (0 when it shares none). */
  screenFramesDecoded: number;
}

export interface ConnectionStats extends ConnectionPath {
  id: string;
  role: 'peer' | 'send' | 'recv';
  peerId: string | null;
  state: string;
  bytesSent: number;
  bytesReceived: number;
}

export interface CallStats {
  mode: Mode;
  /** Sum of outbound-rtp bytes over every connection and every simulcast layer. */
  bytesSent: number;
  bytesReceived: number;
  /** RTCPeerConnections this participant holds (mesh: one per peer; SFU: send + recv transports). */
  connections: number;
  /** Connections that carry our outgoing media (mesh: N-1; SFU: 1). */
  uploadConnections: number;
  /** The roster's peers (frames and bytes are 0 until their media arrives). */
  peers: PeerStats[];
  /** Every connection with its selected candidate pair (the path its packets take). */
  connectionDetails: ConnectionStats[];
  /** Our screen share: encodings with bytes flowing (mesh N-1, SFU 1), connections carrying it, bytes. */
  screen: { encoders: number; connections: number; bytesSent: number };
}

export function toCallStats(sample: Sample): CallStats {
  return {
    mode: sample.mode,
    bytesSent: sample.totals.bytesSent,
    bytesReceived: sample.totals.bytesReceived,
    connections: sample.connections,
    uploadConnections: sample.uploadConnections,
    peers: sample.peers
      .filter((p) => p.inRoster)
      .map((p) => ({
        id: p.id,
        name: p.name,
        framesDecoded: p.framesDecoded ?? 0,
        bytesReceived: p.bytesReceived,
        screenFramesDecoded: p.screen?.framesDecoded ?? 0,
      })),
    connectionDetails: sample.connectionStats.map((c) => ({
      id: c.id,
      role: c.role,
      peerId: c.peerId,
      state: c.state,
      localCandidateType: c.localCandidateType,
      remoteCandidateType: c.remoteCandidateType,
      protocol: c.protocol,
      relayed: c.relayed,
      rttMs: c.rttMs,
      bytesSent: c.bytesSent,
      bytesReceived: c.bytesReceived,
    })),
    screen: {
      encoders: sample.screen?.encoders ?? 0,
      connections: sample.screen?.connections ?? 0,
      bytesSent: sample.screen?.bytesSent ?? 0,
    },
  };
}
