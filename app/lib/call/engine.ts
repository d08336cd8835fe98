// The one seam between the UI and the call modes: React talks to a CallEngine and never to a mode.
import type {
  Mode,
  MediaState,
  PeerInfo,
  PeerStatsShare,
  ServerPeerRates,
  StatsShare,
  WireError,
} from '../../../signaling/protocol';

export type CallStatus = 'idle' | 'joining' | 'joined' | 'left' | 'failed';

export interface RemotePeer extends PeerInfo {
  /** Audio+video received from this peer, or null until its first track arrives. */
  stream: MediaStream | null;
  /** Mesh: the peer connection's state; SFU: the receive transport's state. */
  connectionState: RTCPeerConnectionState | 'new';
}

export interface CallSnapshot {
  mode: Mode;
  roomId: string;
  name: string;
  status: CallStatus;
  selfId: string | null;
  /** Null when joined receive-only (no device or permission denied). */
  localStream: MediaStream | null;
  localMedia: MediaState;
  peers: RemotePeer[];
  error: WireError | null;
  /** Human explanation of a degraded state (e.g. joined receive-only), shown in the UI. */
  notice: string | null;
}

export interface PeerStats {
  id: string;
  name: string;
  framesDecoded: number;
  bytesReceived: number;
}

/** The selected ICE candidate pair of one connection: how its packets actually travel. */
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

export interface ConnectionStats extends ConnectionPath {
  id: string;
  /** peer: a mesh connection to one participant; send/recv: an SFU transport. */
  role: 'peer' | 'send' | 'recv';
  peerId: string | null;
  state: string;
  bytesSent: number;
  bytesReceived: number;
}

/** One connection's raw getStats() output as plain objects, plus what maps it to peers. */
export interface RawConnectionStats {
  id: string;
  role: 'peer' | 'send' | 'recv';
  /** Mesh: the remote peer. SFU: null (see peerByTrack). */
  peerId: string | null;
  state: string;
  /** Whether we are sending media on it now (tracks attached), even before bytes flow. */
  sending: boolean;
  stats: Record<string, unknown>[];
  /** SFU receive transport: inbound track id -> the peer whose media it carries. */
  peerByTrack?: Record<string, string>;
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
  peers: PeerStats[];
  /** Every connection with its selected candidate pair (the path its packets take). */
  connectionDetails: ConnectionStats[];
}

export interface CallEngine {
  join(): Promise<void>;
  leave(): void;
  setMicEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  getSnapshot(): CallSnapshot;
  subscribe(listener: () => void): () => void;
  getStats(): Promise<CallStats>;
  /** The raw getStats() reports of every connection, for the stats normalizer and fixtures. */
  collectRawStats(): Promise<RawConnectionStats[]>;
  /** Peer-to-peer ping RTT over the call's own path, per remote peer id (ms, null = no answer yet). */
  pingRtt(): Record<string, number | null>;
  /** Sends our stats summary to the room (fire and forget). */
  shareStats(summary: StatsShare): void;
  /** Others' summaries as the server relays them; returns the unsubscribe function. */
  onPeerStats(listener: (summary: PeerStatsShare) => void): () => void;
  /** The SFU's per-peer rates for our room (empty in mesh mode or when not joined). */
  serverRates(): Promise<ServerPeerRates[]>;
}

export interface CallOptions {
  roomId: string;
  name: string;
  localStream: MediaStream | null;
  /** Why there is no local stream, when there is none. */
  mediaNotice?: string | null;
  /** Force TURN: iceTransportPolicy 'relay' on every connection (both modes). */
  relayOnly?: boolean;
  /** Socket.IO server URL; defaults to the page's origin. */
  serverUrl?: string;
}
