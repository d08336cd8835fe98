// The one seam between the UI and the call modes: React talks to a CallEngine and never to a mode.
import type { Mode, MediaState, PeerInfo, WireError } from '../../../signaling/protocol';

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
}

export interface CallEngine {
  join(): Promise<void>;
  leave(): void;
  setMicEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  getSnapshot(): CallSnapshot;
  subscribe(listener: () => void): () => void;
  getStats(): Promise<CallStats>;
}

export interface CallOptions {
  roomId: string;
  name: string;
  localStream: MediaStream | null;
  /** Why there is no local stream, when there is none. */
  mediaNotice?: string | null;
  /** Socket.IO server URL; defaults to the page's origin. */
  serverUrl?: string;
}
