// The one normalized stats sample both call modes produce once per second (see normalize.ts).
import type { Mode } from '../../../signaling/protocol';

export interface Rate {
  /** kbps over the interval since the previous sample; null on the first sample (no interval yet). */
  totalKbps: number | null;
  audioKbps: number | null;
  videoKbps: number | null;
}

export interface ConnectionSample {
  id: string;
  role: 'peer' | 'send' | 'recv';
  peerId: string | null;
  state: string;
  /** Candidate-pair RTT: mesh = to the peer, SFU = to the server (ms). */
  rttMs: number | null;
  availableOutgoingKbps: number | null;
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  protocol: string | null;
  relayed: boolean;
  upKbps: number | null;
  downKbps: number | null;
}

export interface RemotePeerSample {
  id: string;
  name: string;
  framesDecoded: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  jitterMs: number | null;
  /** Lost / (lost + received) over the interval (over the whole call on the first sample), %. */
  packetLossPct: number | null;
  freezeCount: number | null;
  kbps: number | null;
}

export interface LayerSample {
  connectionId: string;
  /** Mesh: the peer this copy goes to; SFU: null (the server forwards it). */
  peerId: string | null;
  /** Simulcast layer id (SFU), null for a single encoding (mesh). */
  rid: string | null;
  kbps: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  qualityLimitationReason: string | null;
}

export interface Sample {
  /** ms since the epoch */
  timestamp: number;
  mode: Mode;
  upload: Rate;
  download: Rate;
  /** Outbound video streams (every simulcast layer, every mesh copy) with bytes flowing. */
  activeEncoders: number;
  connections: number;
  connectionStats: ConnectionSample[];
  peers: RemotePeerSample[];
  layers: LayerSample[];
  /** Peer-to-peer ping over the call's own path, per remote peer id (ms). */
  pingRtt: Record<string, number | null>;
  /** Cumulative counters keyed by connection id + stats id: the next sample's deltas start here. */
  counters: Record<string, Counter>;
}

export interface Counter {
  bytes: number;
  packetsLost?: number;
  packetsReceived?: number;
}

export interface NormalizeContext {
  mode: Mode;
  /** ms since the epoch when the reports were taken */
  now: number;
  roster: { id: string; name: string }[];
  pingRtt?: Record<string, number | null>;
}
