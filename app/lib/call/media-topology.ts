// A call's media topology, apart from the call: mesh links or SFU transports. A call holds one (or,
// in an auto room, two for the moments of a switch) and gives each a MediaHost: the call's socket,
// roster and identity, and where the topology reports what it carries.
import type { ClientToServerEvents, MediaSource, Mode, PeerInfo } from '../../../signaling/protocol';
import type { CallSocket } from './base-call';
import type { AckData, RawConnectionStats, RemotePeer, RequestPayload } from './engine';
import type { E2eeState } from './e2ee/session';
import type { CallFailure } from './errors';
import type { PingTracker } from './ping';
import type { SimulcastState } from './sfu-layers';
import type { ViewSize } from './view-layers';

export type PeerMedia = Partial<Pick<RemotePeer, 'stream' | 'screen' | 'connectionState'>>;

export interface MediaHost {
  readonly socket: CallSocket | null;
  request<E extends keyof ClientToServerEvents>(event: E, payload: RequestPayload<E>): Promise<AckData<E>>;
  readonly selfId: string;
  readonly localStream: MediaStream | null;
  /** Our screen share now, or null: a topology that starts while one is on sends it from the start. */
  readonly screenStream: MediaStream | null;
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly pings: PingTracker;
  readonly roomId: string;
  /** The remote peers in the roster now. */
  peerIds(): string[];
  /** The topology's end-to-end encryption changed state (null: none). */
  e2eeChanged(state: E2eeState | null): void;
  /** The size the page renders one peer's video at (CallEngine.setViewSize), or null while it shows none. */
  viewSize(peerId: string, source: MediaSource): ViewSize | null;
  /** The SFU path's simulcast layers, asked and told (null: none, or the path closed). */
  simulcastChanged(state: SimulcastState | null): void;
  /** What this topology carries of one peer changed: its stream, or the connection that carries it. */
  peerMedia(peerId: string, media: PeerMedia): void;
  /**
   * One of the topology's connections changed state: a mesh peer connection ('peer'), or an SFU
   * transport ('send', 'recv'). The call times its join with it (join-marks.ts).
   */
  connectionState(role: 'peer' | 'send' | 'recv', state: RTCPeerConnectionState): void;
  /** A repair ran out: this topology cannot carry the call. */
  failed(failure: CallFailure): void;
  /** The SFU lost the room's media: the call must be rebuilt. */
  reset(): void;
  /** The failure the call ended with, if it did (a setup it interrupted reports it). */
  currentError(): CallFailure | null;
}

export interface TopologyStart {
  peers: PeerInfo[];
  iceServers: RTCIceServer[];
  routerRtpCapabilities?: unknown;
  /**
   * Mesh: who offers. 'newcomer': we just joined, so we offer to everyone already there. 'lower-id':
   * everyone starts at once (an auto room's switch), so of each two the one with the lower id offers.
   */
  offer: 'newcomer' | 'lower-id';
  /** SFU: encrypt media end to end (the join reply says the room does). */
  e2ee?: boolean;
}

export interface MediaTopology {
  readonly mode: Mode;
  start(start: TopologyStart): Promise<void>;
  rosterChanged(added: PeerInfo[], removed: string[]): void;
  localMediaChanged(kind: 'audio' | 'video', enabled: boolean): void;
  replaceTrack(track: MediaStreamTrack): Promise<void>;
  /** Our screen share started (a stream) or stopped (null): send it to everyone, or stop sending it. */
  screenChanged(stream: MediaStream | null): Promise<void>;
  setIceServers(iceServers: RTCIceServer[]): void;
  /** Our seat came back after a signaling loss: catch up on what was announced meanwhile. */
  resumed(): void;
  sendPing(peerId: string, text: string): boolean;
  rawStats(): Promise<RawConnectionStats[]>;
  /** The receivers carrying one peer's media to us now (a switch checks them for arriving media). */
  receivers(peerId: string): RTCRtpReceiver[];
  /** A tile changed size (host.viewSize has it): the SFU asks for other layers; mesh has none to choose. */
  viewSizeChanged?(): void;
  close(): void;
}
