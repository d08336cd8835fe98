// What both call modes share: the signaling socket, joining and leaving, the roster, mute state,
// and the snapshot store React subscribes to. Subclasses add only their media topology.
import { io, type Socket } from 'socket.io-client';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ClusterNode,
  type JoinReply,
  type MediaSource,
  type MediaState,
  type PeerInfo,
  type Result,
  type RoomMode,
  type ServerToClientEvents,
} from '../../../signaling/protocol';
import type {
  AckData,
  CallEngine,
  CallOptions,
  CallSnapshot,
  RawConnectionStats,
  RemotePeer,
  RequestPayload,
  RoomChannel,
  RoomPush,
  ViewSize,
} from './engine';
import { BEACON_PATHS } from '../../../signaling/http';
import { CallError, toCallFailure, type CallFailure } from './errors';
import { watchFirstFrame } from './first-frame';
import { pageNow, withMark, type JoinMarkName } from './join-marks';
import { socketOptions, takePreconnected } from './preconnect';
import { captureScreen } from './screen-capture';
import type { MediaHost, PeerMedia } from './media-topology';
import { PingTracker } from './ping';
import { reconnectTarget } from './node-failover';
import { MAX_RECONNECT_ATTEMPTS, nextPhase, reconnectDelay, type ReconnectEvent } from './reconnect';

export type CallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type PushListener = (payload: never) => void;

/** Joins tried when the media server is between workers before the call is declared failed. */
const REJOIN_ATTEMPTS = 5;

export abstract class BaseCall implements CallEngine {
  protected socket: CallSocket | null = null;
  private listeners = new Set<() => void>();
  private snapshot: CallSnapshot;
  private iceTimer: ReturnType<typeof setTimeout> | undefined;
  private pushListeners = new Map<RoomPush, Set<PushListener>>();
  private pending = new Set<(failure: CallFailure) => void>();
  private latestRoster: PeerInfo[] | null = null;
  /** After a server restart: until then, peers missing from the roster are held (see holdAbsentPeers). */
  private holdAbsentUntil = 0;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeToken = '';
  private reconnectAttempts = 0;
  /** Counts room entries, so a setup overtaken by a rebuild neither fails nor completes the call. */
  private entering = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  /** Our connections that have been connected at least once (the join's "transports" mark). */
  private connectedOnce = new Set<'peer' | 'send' | 'recv'>();
  private stopFirstFrame: () => void = () => undefined;
  /** A notice of marks recorded quietly, still to be sent (see mark). */
  private markNotice: ReturnType<typeof setTimeout> | undefined;
  /** Where our signaling goes now ('' = this page's origin): another node after a failover. */
  private serverUrl: string;
  /** The cluster's live nodes as the last reply listed them (ours first); empty on a single server. */
  private clusterNodes: ClusterNode[] = [];
  protected readonly pings = new PingTracker(() => this.selfId);
  /** Each remote tile's rendered size by peer and source, as the page reported it (setViewSize). */
  private readonly views = new Map<string, ViewSize>();

  constructor(
    readonly roomMode: RoomMode,
    protected readonly options: CallOptions,
  ) {
    const stream = options.localStream;
    this.serverUrl = options.serverUrl ?? '';
    this.snapshot = {
      // An auto room starts as a mesh call until the server says otherwise.
      mode: roomMode === 'auto' ? 'mesh' : roomMode,
      roomMode,
      auto: null,
      roomId: options.roomId,
      name: options.name,
      status: 'idle',
      selfId: null,
      localStream: stream,
      localMedia: {
        audio: !!stream?.getAudioTracks().some((t) => t.enabled),
        video: !!stream?.getVideoTracks().some((t) => t.enabled),
      },
      localScreen: null,
      peers: [],
      error: null,
      notice: options.mediaNotice ?? null,
      relayOnly: !!options.relayOnly,
      signaling: 'connected',
      host: false,
      locked: false,
      e2ee: null,
      joinMarks: options.joinMarks ?? { start: pageNow() },
      node: null,
      simulcast: null,
    };
  }

  // ---- mode hooks -----------------------------------------------------------------------------
  /** Called once the server accepted the join; set up media transports here. */
  protected abstract onJoined(reply: JoinReply): Promise<void>;
  /** Called on every roster change with the peers that appeared and disappeared. */
  protected abstract onRosterChange(added: PeerInfo[], removed: string[]): void;
  /** Called when the local mic or camera was toggled (tracks are already enabled/disabled). */
  protected abstract onLocalMediaChange(kind: 'audio' | 'video', enabled: boolean): void;
  /** Makes every connection send `track` instead of the previous track of its kind. */
  protected abstract onLocalTrackReplaced(track: MediaStreamTrack): Promise<void>;
  /** Our screen share started (a stream) or stopped (null): every topology sends it or stops. */
  protected abstract onScreenChange(stream: MediaStream | null): Promise<void>;
  /** Fresh TURN credentials for every current connection (they apply to the next ICE gathering). */
  protected abstract applyIceServers(iceServers: RTCIceServer[]): void;
  /** Close every media object; called on leave, failure and disconnect. */
  protected abstract closeMedia(): void;
  abstract collectRawStats(): Promise<RawConnectionStats[]>;
  /** Our seat came back after a signaling loss: catch up on what was announced meanwhile. */
  protected onResumed(_reply: JoinReply): void {}
  /** A new signaling socket, before it joins: subscribe here to pushes that may precede the join reply. */
  protected onSocket(_socket: CallSocket): void {}
  /** The call is joined (first join or rejoin) and its roster applied. */
  protected onCallJoined(): void {}
  /** A remote tile changed size (see viewSize): tell the topologies that choose layers by it. */
  protected onViewSize(): void {}
  /** Sends one ping text to a peer over the call's own data path; false when no channel is open. */
  protected abstract sendPing(peerId: string, text: string): boolean;
  /** The receivers carrying one peer's media to us now (the join waits for a decoded frame on them). */
  protected abstract receiversOf(peerId: string): RTCRtpReceiver[];

  setViewSize(peerId: string, source: MediaSource, size: ViewSize | null): void {
    const key = `${peerId}|${source}`;
    const before = this.views.get(key);
    if (before?.width === size?.width && before?.height === size?.height) return;
    if (size) this.views.set(key, { width: Math.round(size.width), height: Math.round(size.height) });
    else this.views.delete(key);
    this.onViewSize();
  }

  pingRtt(): Record<string, number | null> {
    return this.pings.snapshot(this.snapshot.peers.map((p) => p.id));
  }

  readonly room: RoomChannel = {
    request: (event, payload) => {
      if (this.snapshot.status !== 'joined') {
        return Promise.reject(new CallError({ code: 'NOT_JOINED', message: 'not in a call' }));
      }
      return this.request(event, payload);
    },
    on: (event, listener) => {
      const set = this.pushListeners.get(event) ?? new Set<PushListener>();
      this.pushListeners.set(event, set);
      set.add(listener as PushListener);
      this.socket?.on(event, listener as never);
      return () => {
        set.delete(listener as PushListener);
        this.socket?.off(event, listener as never);
      };
    },
  };

  // ---- CallEngine -----------------------------------------------------------------------------
  getSnapshot = (): CallSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async join(): Promise<void> {
    if (this.snapshot.status === 'joining' || this.snapshot.status === 'joined') return;
    this.update({ status: 'joining', error: null, signaling: 'connected' });
    // A socket the page opened early (preconnect.ts) is taken over, connected or still connecting.
    const early = takePreconnected(this.serverUrl);
    const socket: CallSocket = early?.socket ?? io(this.serverUrl, socketOptions());
    this.socket = socket;
    if (early?.connectedAt != null) this.mark('signaling', early.connectedAt);
    this.onSocket(socket);
    socket.on('room:roster', ({ peers }) => {
      // A roster without us was made before our (re)join reached the room, e.g. the others' leaves
      // during an SFU rebuild: the join's own reply is newer, so such a roster must not replace it.
      const self = this.snapshot.selfId;
      if (self && !peers.some((p) => p.id === self)) return;
      this.latestRoster = peers;
      this.applyRoster(peers);
    });
    socket.on('room:lock', ({ locked }) => this.update({ locked }));
    // Removed by the host: the call is over for good (the server revoked our seat, so no resume).
    socket.on('room:removed', (removal) => this.fail(removal));
    socket.on('protocol:error', (e) => console.warn('signaling refused', e));
    for (const [event, listeners] of this.pushListeners) {
      for (const listener of listeners) socket.on(event, listener as never);
    }
    // A closed tab or a page left behind says goodbye, so the others see it go at once instead of
    // holding its seat through the reconnect grace period.
    globalThis.addEventListener?.('pagehide', this.onPageHide);
    this.watchConnection(socket);
    try {
      await this.enterRoom();
    } catch (err) {
      this.fail(toCallFailure(err));
    }
  }

  /** The socket's own life: connected (again), refused, lost. */
  private watchConnection(socket: CallSocket): void {
    socket.on('connect', () => {
      this.mark('signaling');
      if (this.snapshot.signaling === 'reconnecting') void this.resume();
    });
    socket.on('connect_error', (err) => {
      if (this.snapshot.signaling === 'reconnecting') return this.retryConnect();
      // Before the first join there is no call to keep: say the server cannot be reached.
      this.fail({ code: 'SIGNALING_UNREACHABLE', message: `could not reach the signaling server (${err.message})` });
    });
    socket.on('disconnect', (reason) => {
      const { status } = this.snapshot;
      if (status === 'left' || status === 'failed' || reason === 'io client disconnect') return;
      if (status !== 'joined') {
        this.fail({ code: 'SIGNALING_LOST', message: `lost the signaling connection while joining (${reason})` });
        return;
      }
      // The call's media does not need signaling: keep every connection and try to come back.
      this.reconnectAttempts = 0;
      this.moveSignaling({ type: 'lost' });
      this.retryConnect();
    });
  }

  /**
   * Our node is gone (a cluster): a new socket to another node takes over every listener of the
   * old one (ours, the topologies', the managers'), then resumes our seat there like any reconnect.
   */
  private moveToNode(url: string): void {
    const old = this.socket;
    const socket: CallSocket = io(url, socketOptions());
    for (const event of SERVER_EVENTS) for (const listener of old?.listeners(event) ?? []) socket.on(event, listener as never);
    old?.removeAllListeners();
    old?.disconnect();
    this.serverUrl = url;
    this.socket = socket;
    this.onSocket(socket);
    this.watchConnection(socket);
  }

  /** The cluster's live nodes from a join or resume reply (ours first), for reconnecting elsewhere. */
  private learnNodes(reply: JoinReply): void {
    this.clusterNodes = reply.cluster?.nodes ?? [];
    if ((reply.cluster?.node ?? null) !== this.snapshot.node) this.update({ node: reply.cluster?.node ?? null });
  }

  /** Joins the room on the open socket and sets up the mode's media (first join and rejoin). */
  private async enterRoom(): Promise<void> {
    // Rosters that arrive while the mode is still setting up (SFU transports take a while) are kept,
    // so a peer who joined meanwhile is not lost: the newest roster is applied once joined.
    this.latestRoster = null;
    const attempt = ++this.entering;
    const reply = await this.request('join', {
      roomId: this.options.roomId,
      name: this.options.name,
      mode: this.roomMode,
      media: this.snapshot.localMedia,
      ...(this.options.passcode ? { passcode: this.options.passcode } : {}),
      ...(this.roomMode === 'auto' && this.options.sfuAbove ? { sfuAbove: this.options.sfuAbove } : {}),
      ...(this.options.e2ee ? { e2ee: true } : {}),
    });
    this.resumeToken = reply.resumeToken;
    this.update({ selfId: reply.selfId, locked: reply.locked, joinMarks: withMark(this.snapshot.joinMarks, 'joined') });
    this.learnNodes(reply);
    this.watchFirstFrame(reply.peers);
    try {
      await this.onJoined(reply);
    } catch (err) {
      if (attempt !== this.entering) return; // a rebuild started meanwhile; its outcome is the one
      throw err;
    }
    // A leave, a rebuild, or a failure reported while the mode was setting up wins over a late success.
    if (attempt !== this.entering || this.getSnapshot().status !== 'joining') return;
    this.update({ status: 'joined', signaling: 'connected' });
    this.scheduleIceRefresh(reply.iceTtlSeconds, reply.iceServers);
    // (Set by the push listener while we waited; TypeScript cannot see that and narrows it to null.)
    const pushed = this.latestRoster as PeerInfo[] | null;
    const latest = pushed?.some((p) => p.id === reply.selfId) ? pushed : null;
    this.applyRoster(latest ?? reply.peers);
    this.startPings();
    this.onCallJoined();
  }

  // ---- reconnecting -----------------------------------------------------------------------------
  private retryConnect(): void {
    clearTimeout(this.reconnectTimer);
    if (++this.reconnectAttempts > MAX_RECONNECT_ATTEMPTS) {
      this.moveSignaling({ type: 'gave-up' });
      this.fail({ code: 'SIGNALING_LOST', message: `lost the signaling connection and could not get it back in ${MAX_RECONNECT_ATTEMPTS} tries` });
      return;
    }
    const target = reconnectTarget(this.clusterNodes, this.reconnectAttempts);
    const retry = target && target.url !== this.serverUrl ? () => this.moveToNode(target.url) : () => this.socket?.connect();
    this.reconnectTimer = setTimeout(retry, reconnectDelay(this.reconnectAttempts));
  }

  /** Back on a socket: take our seat back (same peer id), or join afresh when it is gone. */
  private async resume(): Promise<void> {
    this.moveSignaling({ type: 'reconnected' });
    try {
      const reply = await this.request('resume', { roomId: this.options.roomId, token: this.resumeToken, media: this.snapshot.localMedia });
      this.resumeToken = reply.resumeToken;
      this.update({ locked: reply.locked });
      this.learnNodes(reply);
      this.moveSignaling({ type: 'resumed' });
      if (reply.restored) this.holdAbsentPeers(reply.restored.holdMs);
      this.latestRoster = reply.peers;
      this.applyRoster(reply.peers);
      this.onResumed(reply);
    } catch (err) {
      if (this.snapshot.signaling !== 'resuming') return; // lost again meanwhile: the retry loop goes on
      if (!(err instanceof CallError) || err.failure.code !== 'RESUME_REFUSED') return this.fail(toCallFailure(err));
      // The seat is gone (grace period over, or the server restarted): join again with a new id.
      this.moveSignaling({ type: 'resume-refused' });
      await this.rejoin();
    }
  }

  /**
   * Rebuilds the call from scratch on the open socket: the media goes, then the room is joined
   * again (a new peer id) and the mode sets its media up anew. A media server that is still
   * restarting a worker (SFU_UNAVAILABLE) is given a few more seconds.
   */
  protected async rejoin(): Promise<void> {
    clearInterval(this.pingTimer);
    clearTimeout(this.iceTimer);
    this.closeMedia();
    this.update({ status: 'joining', peers: [], selfId: null });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.enterRoom();
        return;
      } catch (err) {
        const failure = toCallFailure(err);
        if (failure.code !== 'SFU_UNAVAILABLE' || attempt >= REJOIN_ATTEMPTS || this.getSnapshot().status !== 'joining') {
          this.fail(failure);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
      }
    }
  }

  private moveSignaling(event: ReconnectEvent): void {
    const signaling = nextPhase(this.snapshot.signaling, event);
    if (signaling !== this.snapshot.signaling) this.update({ signaling });
  }

  private onPageHide = (): void => {
    // The socket's goodbye can be lost with the closing page (the others would hold a ghost seat for
    // the grace period); a beacon is delivered after the page is gone. Whichever arrives second finds
    // the seat already gone.
    if (this.snapshot.status === 'joined' && this.resumeToken) {
      const url = new URL(BEACON_PATHS.leave, this.serverUrl || globalThis.location?.href);
      globalThis.navigator?.sendBeacon?.(url, JSON.stringify({ roomId: this.options.roomId, token: this.resumeToken }));
    }
    this.leave();
  };

  leave(): void {
    globalThis.removeEventListener?.('pagehide', this.onPageHide);
    if (this.snapshot.status === 'left') return;
    this.update({ status: 'left', peers: [] });
    this.stopFirstFrame();
    clearInterval(this.pingTimer);
    clearTimeout(this.iceTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.holdTimer);
    this.closeMedia();
    this.endScreen();
    this.socket?.disconnect();
    this.abandonRequests({ code: 'NOT_JOINED', message: 'left the call' });
  }

  setMicEnabled(enabled: boolean): void {
    this.setTrackKind('audio', enabled);
  }

  setCameraEnabled(enabled: boolean): void {
    this.setTrackKind('video', enabled);
  }

  async replaceLocalTrack(track: MediaStreamTrack): Promise<void> {
    const stream = this.localStream;
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const old = stream?.getTracks().find((t) => t.kind === kind);
    if (!stream || !old) {
      throw new CallError({ code: 'MEDIA_SETUP_FAILED', message: `this call was joined without a ${kind === 'audio' ? 'microphone' : 'camera'}; rejoin to add one` });
    }
    if (old === track) return;
    // Muted stays muted on the new device.
    track.enabled = old.enabled;
    stream.removeTrack(old);
    stream.addTrack(track);
    if (this.snapshot.status === 'joined') await this.onLocalTrackReplaced(track);
    old.stop();
    // A new stream object, so the local tile re-attaches; connections keep the original stream.
    this.update({ localStream: new MediaStream(stream.getTracks()) });
  }

  async startScreenShare(): Promise<void> {
    if (this.snapshot.status !== 'joined') throw new CallError({ code: 'NOT_JOINED', message: 'join the call before sharing a screen' });
    if (this.snapshot.localScreen) return;
    const stream = await (this.options.captureScreen ?? captureScreen)();
    const track = stream.getVideoTracks()[0];
    // The picker may outlive the call; a stream without video shares nothing.
    if (!track || this.snapshot.status !== 'joined' || this.snapshot.localScreen) {
      for (const t of stream.getTracks()) t.stop();
      if (!track) throw new CallError({ code: 'MEDIA_SETUP_FAILED', message: 'the shared screen has no video' });
      return;
    }
    // The browser's own "Stop sharing" bar ends the track: stop the share with it.
    track.addEventListener('ended', () => {
      if (this.snapshot.localScreen === stream) this.stopScreenShare();
    });
    this.update({ localScreen: stream });
    try {
      await this.onScreenChange(stream);
    } catch (err) {
      // Nobody would see it (the SFU refused the producer): say so instead of showing a share.
      this.stopScreenShare();
      throw err;
    }
  }

  stopScreenShare(): void {
    if (!this.endScreen()) return;
    if (this.snapshot.status === 'joined') this.onScreenChange(null).catch((err) => console.warn('could not stop sending the screen', err));
  }

  /** Stops our screen capture; false when there was none. The topologies are told by the caller, if open. */
  private endScreen(): boolean {
    const stream = this.snapshot.localScreen;
    if (!stream) return false;
    this.update({ localScreen: null });
    for (const track of stream.getTracks()) track.stop();
    return true;
  }

  // ---- helpers for subclasses -----------------------------------------------------------------
  /** What a media topology sees of this call; `report` says where its media and failures go. */
  protected hostFor(report: { peerMedia(peerId: string, media: PeerMedia): void; failed(failure: CallFailure): void }): MediaHost {
    const call = this;
    return {
      get socket() {
        return call.socket;
      },
      request: this.request.bind(this) as MediaHost['request'],
      get selfId() {
        return call.selfId;
      },
      get localStream() {
        return call.localStream;
      },
      get screenStream() {
        return call.snapshot.localScreen;
      },
      get iceTransportPolicy() {
        return call.iceTransportPolicy;
      },
      pings: this.pings,
      roomId: this.options.roomId,
      peerIds: () => this.snapshot.peers.map((p) => p.id),
      e2eeChanged: (e2ee) => this.update({ e2ee }),
      viewSize: (peerId, source) => this.views.get(`${peerId}|${source}`) ?? null,
      simulcastChanged: (simulcast) => this.update({ simulcast }),
      connectionState: (role, state) => this.onConnectionState(role, state),
      peerMedia: report.peerMedia,
      failed: report.failed,
      reset: () => void this.rejoin(),
      currentError: () => this.snapshot.error,
    };
  }

  /** Sends one request and resolves with its data, or rejects with the server's error. */
  protected request<E extends keyof ClientToServerEvents>(event: E, payload: RequestPayload<E>): Promise<AckData<E>> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new CallError({ code: 'NOT_JOINED', message: 'not connected to the signaling server' }));
    // While the socket is down or our seat is not ours again, a request would be buffered and sent
    // before `resume` (and refused): refuse it here, it is a stats summary or a candidate the next
    // round replaces. Rejoining is different: the socket is up and the mode is setting up its media.
    const seatless = this.snapshot.signaling === 'reconnecting' || this.snapshot.signaling === 'resuming';
    if (seatless && event !== 'resume' && event !== 'join') {
      return Promise.reject(new CallError({ code: 'NOT_JOINED', message: 'signaling is reconnecting' }));
    }
    return new Promise((resolve, reject) => {
      // socket.io drops a dead socket's pending acks without calling them: keep a way to settle it.
      const abandon = (failure: CallFailure) => reject(new CallError(failure));
      this.pending.add(abandon);
      const ack = (result: Result<AckData<E>>) => {
        this.pending.delete(abandon);
        if (result.ok) resolve(result.data);
        else reject(CallError.fromWire(result.error));
      };
      // socket.io's typed emit cannot express "payload + ack" generically, hence the cast.
      (socket.emit as (ev: string, p: unknown, a: typeof ack) => void)(event, payload, ack);
    });
  }

  /** Settles every request still waiting for an answer that can no longer come. */
  private abandonRequests(failure: CallFailure): void {
    const pending = [...this.pending];
    this.pending.clear();
    for (const abandon of pending) abandon(failure);
  }

  protected update(patch: Partial<CallSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.notify();
  }

  private notify(): void {
    // This notice carries any mark recorded quietly before it.
    clearTimeout(this.markNotice);
    this.markNotice = undefined;
    for (const listener of this.listeners) listener();
  }

  protected patchPeer(id: string, patch: Partial<RemotePeer>): void {
    const peers = this.snapshot.peers.map((p) => (p.id === id ? { ...p, ...patch } : p));
    this.update({ peers });
  }

  protected fail(error: CallFailure): void {
    if (this.snapshot.status === 'left' || this.snapshot.status === 'failed') return;
    // Status first: closing the socket below emits 'disconnect', which must not replace this error.
    this.update({ status: 'failed', error, peers: [] });
    this.stopFirstFrame();
    clearInterval(this.pingTimer);
    clearTimeout(this.iceTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.holdTimer);
    this.closeMedia();
    this.endScreen();
    this.socket?.disconnect();
    this.abandonRequests(error);
  }

  /** Our peer id, stamped by the server in the join reply (set before onJoined runs). */
  protected get selfId(): string {
    return this.snapshot.selfId ?? '';
  }

  protected get iceTransportPolicy(): RTCIceTransportPolicy {
    return this.options.relayOnly ? 'relay' : 'all';
  }

  protected get localStream(): MediaStream | null {
    return this.options.localStream;
  }

  protected get snapshotPeers(): RemotePeer[] {
    return this.snapshot.peers;
  }

  // ---- internals ------------------------------------------------------------------------------
  /**
   * Records a step of the join; the first time counts (see join-marks.ts). Listeners hear of it
   * after the current task: a re-render must not hold up the network event that made the mark.
   */
  private mark(name: JoinMarkName, at?: number): void {
    const joinMarks = withMark(this.snapshot.joinMarks, name, at);
    if (joinMarks === this.snapshot.joinMarks) return;
    this.snapshot = { ...this.snapshot, joinMarks };
    if (this.markNotice !== undefined) return;
    this.markNotice = setTimeout(() => {
      this.markNotice = undefined;
      this.notify();
    }, 0);
  }

  /**
   * Our media path is up: in mesh the first peer connection, in SFU both transports (the receive
   * one alone when we send nothing). Both SFU transports count because a newcomer is seen only
   * once its send side is up, and heard only once its receive side is.
   */
  private onConnectionState(role: 'peer' | 'send' | 'recv', state: RTCPeerConnectionState): void {
    if (state !== 'connected' || this.snapshot.joinMarks.transports !== undefined) return;
    this.connectedOnce.add(role);
    const sfuUp = this.connectedOnce.has('recv') && (this.connectedOnce.has('send') || !this.localStream);
    if (this.connectedOnce.has('peer') || sfuUp) this.mark('transports');
  }

  /** Until the first remote video frame is decoded (the waterfall's last step), from anyone in the room. */
  private watchFirstFrame(joinedWith: PeerInfo[]): void {
    if (this.snapshot.joinMarks.firstFrame !== undefined) return;
    this.stopFirstFrame();
    const first = joinedWith.map((p) => p.id);
    this.stopFirstFrame = watchFirstFrame({
      peerIds: () => [...new Set([...first, ...(this.latestRoster ?? []).map((p) => p.id), ...this.snapshot.peers.map((p) => p.id)])].filter((id) => id !== this.selfId),
      receiversOf: (peerId) => this.receiversOf(peerId),
      onFrame: () => this.mark('firstFrame'),
    });
  }

  /** One ping per peer per second, the same cadence as the stats collector. */
  private startPings(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      for (const peer of this.snapshot.peers) this.sendPing(peer.id, this.pings.ping(peer.id));
    }, 1000);
  }

  // TURN credentials are short-lived: fetch fresh ones before they expire so that ICE restarts and
  // newly gathered relay candidates in a long call can still authenticate.
  private scheduleIceRefresh(ttlSeconds: number, iceServers: { credential?: string }[]): void {
    clearTimeout(this.iceTimer);
    if (!ttlSeconds || !iceServers.some((s) => s.credential)) return;
    this.iceTimer = setTimeout(() => void this.refreshIce(), Math.max(30, ttlSeconds * 0.8) * 1000);
  }

  private async refreshIce(): Promise<void> {
    if (this.snapshot.status !== 'joined') return;
    try {
      const { iceServers, iceTtlSeconds } = await this.request('ice:refresh', {});
      if (this.snapshot.status !== 'joined') return;
      this.applyIceServers(iceServers.map((s) => ({ ...s })));
      this.scheduleIceRefresh(iceTtlSeconds, iceServers);
    } catch (err) {
      console.warn('could not refresh TURN credentials; retrying in a minute', err);
      if (this.snapshot.status === 'joined') this.iceTimer = setTimeout(() => void this.refreshIce(), 60_000);
    }
  }

  /**
   * The server restarted and rebuilt our seat from its token: the others are still finding their
   * way back, each on its own backoff. Until holdMs has passed, a peer missing from the roster
   * keeps its tile and connection (marked reconnecting) instead of being torn down and rebuilt.
   */
  private holdAbsentPeers(holdMs: number): void {
    this.holdAbsentUntil = Date.now() + holdMs;
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      this.holdAbsentUntil = 0;
      if (this.latestRoster) this.applyRoster(this.latestRoster);
    }, holdMs);
  }

  private applyRoster(roster: PeerInfo[]): void {
    if (this.snapshot.status !== 'joined') return;
    const present = roster.filter((p) => p.id !== this.snapshot.selfId);
    const held =
      Date.now() < this.holdAbsentUntil
        ? this.snapshot.peers.filter((p) => !present.some((o) => o.id === p.id)).map((p): PeerInfo => ({ ...p, reconnecting: true }))
        : [];
    const others = [...present, ...held];
    const known = new Map(this.snapshot.peers.map((p) => [p.id, p]));
    const added = others.filter((p) => !known.has(p.id));
    const removed = this.snapshot.peers.filter((p) => !others.some((o) => o.id === p.id)).map((p) => p.id);
    const peers: RemotePeer[] = others.map((p) => {
      const prev = known.get(p.id);
      return prev ? { ...prev, name: p.name, media: p.media, reconnecting: p.reconnecting, host: p.host } : { ...p, stream: null, screen: null, connectionState: 'new' };
    });
    this.update({ peers, host: !!roster.find((p) => p.id === this.snapshot.selfId)?.host });
    for (const id of removed) this.pings.forget(id);
    if (added.length || removed.length) this.onRosterChange(added, removed);
  }

  private setTrackKind(kind: 'audio' | 'video', enabled: boolean): void {
    const tracks = kind === 'audio' ? this.localStream?.getAudioTracks() : this.localStream?.getVideoTracks();
    if (!tracks?.length) return;
    for (const track of tracks) track.enabled = enabled;
    const localMedia: MediaState = { ...this.snapshot.localMedia, [kind]: enabled };
    this.update({ localMedia });
    this.onLocalMediaChange(kind, enabled);
    if (this.snapshot.status === 'joined') this.request('media:state', localMedia).catch(() => undefined);
  }
}
