// The one seam between the UI and the call modes: React talks to a CallEngine and never to a mode.
// Engines own media and connections only; stats and sharing live outside and read what engines expose.
import type {
  ClientToServerEvents,
  MediaSource,
  Mode,
  MediaState,
  PeerInfo,
  Result,
  RoomMode,
  ServerToClientEvents,
} from '../../../signaling/protocol';
import type { E2eeState } from './e2ee/session';
import type { JoinMarks } from './join-marks';
import type { CallFailure } from './errors';
import type { SignalingPhase } from './reconnect';
import type { SimulcastState } from './sfu-layers';
import type { ViewSize } from './view-layers';

export type { SimulcastState } from './sfu-layers';
export type { ViewSize } from './view-layers';

export type CallStatus = 'idle' | 'joining' | 'joined' | 'left' | 'failed';

export interface RemotePeer extends PeerInfo {
  /** Audio+video received from this peer, or null until its first track arrives. */
  stream: MediaStream | null;
  /** The screen this peer shares (a second video, apart from its camera), or null when it shares none. */
  screen: MediaStream | null;
  /**
   * The state of our connection that carries this peer's media to us: in mesh our peer connection
   * with them, in SFU our receive transport (one for every peer). 'new' until it starts connecting.
   */
  connectionState: RTCPeerConnectionState;
}

export interface CallSnapshot {
  /** How our media flows now (in an auto room, the topology it runs at the moment). */
  mode: Mode;
  /** What the room was asked to run: a mode, or auto (which moves between them: see `auto`). */
  roomMode: RoomMode;
  /** Auto rooms: every topology decision and how our switch went. Null in mesh and SFU rooms. */
  auto: AutoState | null;
  roomId: string;
  name: string;
  status: CallStatus;
  selfId: string | null;
  /** Null when joined receive-only (no device or permission denied). */
  localStream: MediaStream | null;
  localMedia: MediaState;
  /** Our screen share (see startScreenShare), or null when we share none. */
  localScreen: MediaStream | null;
  peers: RemotePeer[];
  error: CallFailure | null;
  /** Human explanation of a degraded state (e.g. joined receive-only), shown in the UI. */
  notice: string | null;
  /** Every connection is forced through TURN (iceTransportPolicy 'relay'). */
  relayOnly: boolean;
  /** The signaling connection: media keeps flowing while it is 'reconnecting' (see reconnect.ts). */
  signaling: SignalingPhase;
  /** We are the room's host (may remove participants and lock the room through `room`). */
  host: boolean;
  /** The host locked the room: nobody new can join. */
  locked: boolean;
  /** End-to-end encryption (SFU rooms joined with e2ee): keys held, safety code, frame counts; else null. */
  e2ee: E2eeState | null;
  /** When this join reached each of its steps, up to the first decoded remote frame (join-marks.ts). */
  joinMarks: JoinMarks;
  /** The server node our signaling (and SFU media) goes through when several share the rooms; else null. */
  node: string | null;
  /**
   * On the SFU path: the simulcast layer we ask for each peer's camera (by its tile's size) and the
   * highest layer of ours the server says anyone needs (dynacast). Null in mesh.
   */
  simulcast: SimulcastState | null;
}

/** One topology decision of an auto room, as this participant lived it. */
export interface TopologySwitch {
  /** The server's decision number (room:topology epoch). */
  epoch: number;
  /** Null for the topology we joined on. */
  from: Mode | null;
  to: Mode;
  /** The rule and its numbers ("3 participants > threshold 2"). */
  reason: string;
  participants: number;
  threshold: number;
  /** When we learned of it and when our switch completed (ms since the epoch, this browser's clock). */
  startedAt: number;
  doneAt: number | null;
  /**
   * switching: building the new path next to the old; done: the new path carries everyone and the
   * old one is gone; failed: the new path did not carry media in time, we stay on the old one;
   * superseded: a newer decision took the room back before this one completed; stayed: the server
   * kept the topology and says why (e.g. the SFU was unavailable).
   */
  outcome: 'switching' | 'done' | 'failed' | 'superseded' | 'stayed';
  /** Why it failed, or what it waited for. */
  detail: string | null;
}

export interface AutoState {
  /** Participants above this many run on the SFU. */
  threshold: number;
  /** The topology we are moving to, while a switch is under way. */
  switching: Mode | null;
  /** Oldest first. */
  history: TopologySwitch[];
}

/** One connection's raw getStats() output as plain objects, plus what maps it to peers. */
export interface RawConnectionStats {
  id: string;
  /** peer: a mesh connection to one participant; send/recv: an SFU transport. */
  role: 'peer' | 'send' | 'recv';
  /** Mesh: the remote peer. SFU: null (see peerByTrack). */
  peerId: string | null;
  state: string;
  /** Whether we are sending media on it now (tracks attached), even before bytes flow. */
  sending: boolean;
  stats: Record<string, unknown>[];
  /** SFU receive transport: inbound track id -> the peer whose media it carries. */
  peerByTrack?: Record<string, string>;
  /** Ids of the tracks on this connection that carry a screen share (ours sent, others' received). */
  screenTracks?: string[];
}

/** The data a request's acknowledgement carries when it succeeds. */
export type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (
  r: Result<infer T>,
) => void
  ? T
  : never;
export type RequestPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];

/** Requests and pushes that managers outside the engine (stats sharing, host controls) may use on its socket. */
export type RoomRequest = 'stats:share' | 'stats:server' | 'host:remove' | 'host:lock';
export type RoomPush = 'stats:peer' | 'sfu:activeSpeaker';

/**
 * The engine's signaling socket as seen by managers that live outside it (LiveKit keeps such
 * managers apart from its engine too): typed requests while joined, and push subscriptions that
 * survive the socket being replaced.
 */
export interface RoomChannel {
  /** Rejects with a CallError when the server refuses or the call is not joined. */
  request<E extends RoomRequest>(event: E, payload: RequestPayload<E>): Promise<AckData<E>>;
  /** Returns the unsubscribe function. */
  on<E extends RoomPush>(event: E, listener: ServerToClientEvents[E]): () => void;
}

export interface CallEngine {
  join(): Promise<void>;
  leave(): void;
  setMicEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  /**
   * Swaps our camera or microphone track mid-call (another device, or a fallback after one was
   * unplugged) without renegotiating: every connection sends the new track. The old one is stopped.
   * Rejects when we joined without that kind of track (adding one needs a rejoin).
   */
  replaceLocalTrack(track: MediaStreamTrack): Promise<void>;
  /**
   * Asks the browser for a screen (getDisplayMedia) and sends it to everyone as a second video: in
   * mesh one more copy per peer connection, in SFU one more producer. Rejects when the person
   * cancels the picker or the call is not joined. The browser's own "stop sharing" ends it too.
   */
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  getSnapshot(): CallSnapshot;
  subscribe(listener: () => void): () => void;
  /** The raw getStats() reports of every connection, for the stats normalizer and fixtures. */
  collectRawStats(): Promise<RawConnectionStats[]>;
  /** Peer-to-peer ping RTT over the call's own path, per remote peer id (ms, null = no answer yet). */
  pingRtt(): Record<string, number | null>;
  /** The room's signaling side channel, for stats sharing and other managers. */
  readonly room: RoomChannel;
  /**
   * The size a remote peer's tile renders its video at, in device pixels (0×0 when hidden or
   * offscreen; null while it shows no video). The SFU path asks for the layer that fills it; mesh
   * sends one size and ignores it.
   */
  setViewSize(peerId: string, source: MediaSource, size: ViewSize | null): void;
}

export interface CallOptions {
  roomId: string;
  name: string;
  localStream: MediaStream | null;
  /** Why there is no local stream, when there is none. */
  mediaNotice?: string | null;
  /** Force TURN: iceTransportPolicy 'relay' on every connection (both modes). */
  relayOnly?: boolean;
  /** The room's passcode (or, for its creator, the one to set); sent with every join, never with resume. */
  passcode?: string;
  /** SFU rooms: encrypt media end to end (the room's creator decides; every joiner must match). */
  e2ee?: boolean;
  /** Auto rooms: the threshold to ask for when we create the room (participants above it use the SFU). */
  sfuAbove?: number;
  /** Socket.IO server URL; defaults to the page's origin. */
  serverUrl?: string;
  /**
   * The marks the page took before the engine existed (its start, page ready, camera and mic
   * open); the engine adds the rest. Default: a join that starts now.
   */
  joinMarks?: JoinMarks;
  /** What startScreenShare captures; default getDisplayMedia (screen-capture.ts). Unit tests pass a fake. */
  captureScreen?: () => Promise<MediaStream>;
}
