// SFU topology: one mediasoup-client send transport (our media, uploaded once, simulcast video) and
// one receive transport carrying a consumer per remote track; consumer tracks are grouped per peer.
import { Device, type types } from 'mediasoup-client';
import {
  defaultSource,
  type ClientToServerEvents,
  type DataProducerInfo,
  type E2eeKeyMessage,
  type MediaSource,
  type PeerInfo,
  type ProducerInfo,
  type ServerToClientEvents,
  type TransportOptions,
} from '../../../signaling/protocol';
import type { RawConnectionStats, RemotePeer } from './engine';
import { CallError } from './errors';
import { IceWatchdog, WATCHDOG_DEFAULTS, type WatchdogOptions } from './ice-watchdog';
import { E2eeSession } from './e2ee/session';
import type { MediaHost, MediaTopology, PeerMedia, TopologyStart } from './media-topology';
import { plainStats } from './plain-stats';
import { SfuLayers } from './sfu-layers';
import { SfuPingChannels } from './sfu-ping';
import { SCREEN_ENCODING, SIMULCAST_LAYERS } from './video-encodings';

type Kind = 'audio' | 'video';
/** What we produce: the microphone and camera by their kind, and a screen share. */
type Slot = Kind | 'screen';
type WireRtpParameters = Parameters<ClientToServerEvents['sfu:produce']>[0]['rtpParameters'];
type WireObject = Record<string, unknown>;
/** Makes the mediasoup-client Device; unit tests pass one built on mediasoup-client's FakeHandler. */
export type DeviceFactory = () => Promise<types.Device>;

interface RemoteTrack {
  consumer: types.Consumer;
  peerId: string;
  source: MediaSource;
}

export class SfuMedia implements MediaTopology {
  readonly mode = 'sfu' as const;
  private device: types.Device | null = null;
  private sendTransport: types.Transport | null = null;
  private recvTransport: types.Transport | null = null;
  private producers = new Map<Slot, types.Producer>();
  /** Screen share changes, applied one at a time (producing takes a round trip). */
  private screenQueue: Promise<void> = Promise.resolve();
  /** Consumer id → consumer and the peer whose track it carries. */
  private remote = new Map<string, RemoteTrack>();
  /** Producers we are consuming or about to; a producer dropped mid-consume is taken out here. */
  private wanted = new Set<string>();
  private streams = new Map<string, MediaStream | null>();
  private screens = new Map<string, MediaStream | null>();
  /** For a send transport made later (a share from a participant who joined receive-only). */
  private iceServers: RTCIceServer[] = [];
  private pingChannels: SfuPingChannels;
  /** The layers we ask for by tile size, and the ones the server says to encode (dynacast). */
  private layers: SfuLayers;
  /** End-to-end encryption of our frames and the others' (rooms joined with e2ee), else null. */
  private e2ee: E2eeSession | null = null;
  private readonly onE2eeKey = (message: E2eeKeyMessage): void => void this.e2ee?.receive(message);
  private recvState: RemotePeer['connectionState'] = 'new';
  private closed = true;
  /** Bumped by every closeMedia, so a setup that outlived its call stops at its next check. */
  private generation = 0;
  private ready: Promise<void> = Promise.resolve();
  /** Resolved once the receive transport exists: consuming does not wait for our own producers. */
  private receiving: Promise<void> = Promise.resolve();
  /** Our socket listeners, removed one by one on close (another topology may listen too). */
  private readonly listeners: { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } = {
    'sfu:newProducer': (info) => void this.receiving.then(() => this.consume(info)),
    'sfu:newDataProducer': (info) => void this.receiving.then(() => this.consumePings(info)),
    'sfu:producerClosed': ({ producerId }) => this.dropProducer(producerId),
    'sfu:consumerClosed': ({ producerId }) => this.dropProducer(producerId),
    'sfu:producerLayers': (push) => this.layers.producerLayers(push),
    // The SFU lost this room's media (its worker died): rebuild transports, producers and consumers.
    'sfu:reset': ({ reason }) => {
      console.warn(`the SFU lost this room's media (${reason}); rebuilding`);
      this.host.reset();
    },
  };

  constructor(
    private readonly host: MediaHost,
    private readonly makeDevice: DeviceFactory = () => Device.factory(),
    private readonly repairPolicy: WatchdogOptions = WATCHDOG_DEFAULTS,
  ) {
    this.pingChannels = new SfuPingChannels(host.pings, (payload) => host.request('sfu:consumeData', payload));
    this.layers = new SfuLayers({
      viewSize: (peerId, source) => host.viewSize(peerId, source),
      setPreferredLayers: (consumerId, spatialLayer) => host.request('sfu:setPreferredLayers', { consumerId, spatialLayer }),
      changed: (state) => host.simulcastChanged(state),
    });
  }

  async start({ peers, iceServers: servers, routerRtpCapabilities, e2ee }: TopologyStart): Promise<void> {
    this.closed = false;
    // A rebuild (sfu:reset) may start while this setup still waits: only the newest one goes on.
    const setup = this.generation;
    if (!routerRtpCapabilities) {
      throw new CallError({ code: 'SFU_UNAVAILABLE', message: 'the server sent no router capabilities for this SFU room' });
    }
    let markReady = () => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    let markReceiving = () => {};
    this.receiving = new Promise((resolve) => (markReceiving = resolve));
    // Listen before anything else so a producer announced while we set up is not missed.
    for (const [event, listener] of Object.entries(this.listeners)) this.host.socket?.on(event as 'sfu:reset', listener as never);
    if (e2ee) this.startE2ee(peers.map((p) => p.id));

    const device = await this.makeDevice();
    this.checkOpen(setup);
    const localStream = this.host.localStream;
    // The server makes both transports and lists what we will consume while the device loads: none
    // of these requests needs the device, so they cost one round trip together.
    const listed = Promise.all([this.host.request('sfu:listProducers', {}), this.host.request('sfu:listDataProducers', {})]);
    listed.catch(() => undefined); // awaited below, once the receive transport exists
    const [, recvOptions, sendOptions] = await Promise.all([
      device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities }),
      this.host.request('sfu:createTransport', { direction: 'recv' }),
      localStream ? this.host.request('sfu:createTransport', { direction: 'send' }) : null,
    ]);
    this.checkOpen(setup);
    this.device = device;
    const iceServers: RTCIceServer[] = servers.map((s) => ({ ...s }));
    this.iceServers = iceServers;
    this.recvTransport = this.makeTransport(device, 'recv', recvOptions, iceServers, setup);
    markReceiving();
    // What the others send is consumed while ours goes up: our first frame of them needs only the
    // receive side, and producing first would put four round trips before it.
    const existing = listed.then(([media, data]) =>
      Promise.all([...media.map((info) => this.consume(info)), ...data.map((info) => this.consumePings(info))]),
    );
    existing.catch(() => undefined); // awaited below; a failure to produce must not leave it unhandled
    if (localStream && sendOptions) {
      this.sendTransport = this.makeTransport(device, 'send', sendOptions, iceServers, setup);
      await this.produceLocal(this.sendTransport, localStream);
      await this.pingChannels.produce(this.sendTransport);
    }
    this.checkOpen(setup);
    markReady();
    // A share that is on when we start (an auto room's switch, a rebuild) goes up with the rest.
    void this.screenChanged(this.host.screenStream).catch((err) => {
      if (!this.closed) console.warn('could not share the screen on the SFU', err);
    });
    await existing;
  }

  rosterChanged(added: PeerInfo[], removed: string[]): void {
    void this.e2ee?.greet(added.map((p) => p.id));
    this.e2ee?.peersLeft(removed);
    // Tracks may arrive before the roster names their peer: report them now.
    for (const peer of added) {
      this.host.peerMedia(peer.id, { stream: this.streams.get(peer.id) ?? null, screen: this.screens.get(peer.id) ?? null, connectionState: this.recvState });
    }
    for (const id of removed) {
      for (const [consumerId, entry] of this.remote) {
        if (entry.peerId !== id) continue;
        this.wanted.delete(entry.consumer.producerId);
        entry.consumer.close();
        this.remote.delete(consumerId);
      }
      this.streams.delete(id);
      this.screens.delete(id);
      this.pingChannels.drop(id);
    }
  }

  resumed(): void {
    // Producers announced while our socket was away were missed: list them again (consume dedupes).
    void Promise.all([this.host.request('sfu:listProducers', {}), this.host.request('sfu:listDataProducers', {})])
      .then(([media, data]) => Promise.all([...media.map((i) => this.consume(i)), ...data.map((i) => this.consumePings(i))]))
      .catch((err) => console.warn('could not catch up on producers after reconnecting', err));
  }

  localMediaChanged(kind: Kind, enabled: boolean): void {
    const producer = this.producers.get(kind);
    if (!producer || producer.closed) return;
    // The track's enabled flag is the call's (mesh links may send the same track): see produceTrack.
    if (enabled) producer.resume();
    else producer.pause();
    const event = enabled ? 'sfu:resumeProducer' : 'sfu:pauseProducer';
    this.host.request(event, { producerId: producer.id }).catch((err) => console.warn(`${event} failed`, err));
  }

  close(): void {
    this.closed = true;
    this.generation++;
    this.stopE2ee();
    for (const [event, listener] of Object.entries(this.listeners)) this.host.socket?.off(event as 'sfu:reset', listener as never);
    // Closing a transport closes its producers and consumers; stopTracks:false keeps our camera alive.
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.producers.clear();
    this.pingChannels.clear();
    this.layers.clear();
    this.remote.clear();
    this.wanted.clear();
    this.streams.clear();
    this.screens.clear();
    this.device = null;
  }

  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const producer = this.producers.get(track.kind === 'audio' ? 'audio' : 'video');
    if (producer && !producer.closed) await producer.replaceTrack({ track });
  }

  /**
   * Our screen as one more producer on the send transport (one encoding, no simulcast: see
   * SCREEN_ENCODING), or, when it stops, that producer closed here and on the server, whose
   * sfu:producerClosed makes everyone drop their consumer of it.
   */
  screenChanged(stream: MediaStream | null): Promise<void> {
    const next = this.screenQueue.then(() => this.ready).then(() => this.applyScreen(stream));
    this.screenQueue = next.catch(() => undefined);
    return next;
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.iceServers = iceServers;
    for (const transport of [this.sendTransport, this.recvTransport]) {
      if (transport && !transport.closed) transport.updateIceServers({ iceServers }).catch(() => undefined);
    }
  }

  async rawStats(): Promise<RawConnectionStats[]> {
    const peerByTrack: Record<string, string> = {};
    const screenTracks: string[] = [];
    for (const { consumer, peerId, source } of this.remote.values()) {
      peerByTrack[consumer.track.id] = peerId;
      if (source === 'screen') screenTracks.push(consumer.track.id);
    }
    const sentScreen = this.producers.get('screen')?.track;
    const raw: RawConnectionStats[] = [];
    for (const [role, transport] of [['send', this.sendTransport], ['recv', this.recvTransport]] as const) {
      if (!transport || transport.closed) continue;
      raw.push({
        id: transport.id,
        role,
        peerId: null,
        state: transport.connectionState,
        sending: role === 'send' && this.producers.size > 0,
        stats: await plainStats(transport.getStats()),
        ...(role === 'recv' ? { peerByTrack, screenTracks } : { screenTracks: sentScreen ? [sentScreen.id] : [] }),
      });
    }
    return raw;
  }

  sendPing(_peerId: string, text: string): boolean {
    // One data producer for everyone: each consumer filters by the message's `to`.
    return this.pingChannels.send(text);
  }

  viewSizeChanged(): void {
    this.layers.viewChanged();
  }

  receivers(peerId: string): RTCRtpReceiver[] {
    return [...this.remote.values()].filter((e) => e.peerId === peerId).map((e) => e.consumer.rtpReceiver as RTCRtpReceiver);
  }

  // ---- internals ------------------------------------------------------------------------------
  /** Keys first: until our media key exists, the worker drops our frames (never sends them in clear). */
  private startE2ee(peerIds: string[]): void {
    const host = this.host;
    const session = new E2eeSession({ roomId: host.roomId, selfId: () => host.selfId, send: (message) => host.request('e2ee:key', message) });
    this.e2ee = session;
    session.subscribe(() => host.e2eeChanged(session.getState()));
    host.socket?.on('e2ee:key', this.onE2eeKey);
    void session.greet(peerIds);
  }

  private stopE2ee(): void {
    if (!this.e2ee) return;
    this.host.socket?.off('e2ee:key', this.onE2eeKey);
    this.e2ee.close();
    this.e2ee = null;
    this.host.e2eeChanged(null);
  }

  /** A leave, reset or lost socket during setup must stop it, not be overwritten by 'joined'. */
  private checkOpen(setup: number): void {
    if (!this.closed && setup === this.generation) return;
    throw new CallError(this.host.currentError() ?? { code: 'NOT_JOINED', message: 'the call closed while joining' });
  }

  private async createTransport(
    device: types.Device,
    direction: 'send' | 'recv',
    iceServers: RTCIceServer[],
    setup: number,
  ): Promise<types.Transport> {
    const options = await this.host.request('sfu:createTransport', { direction });
    this.checkOpen(setup);
    return this.makeTransport(device, direction, options, iceServers, setup);
  }

  /** The browser side of a transport the server made (`options`: its sfu:createTransport answer). */
  private makeTransport(
    device: types.Device,
    direction: 'send' | 'recv',
    options: TransportOptions,
    iceServers: RTCIceServer[],
    setup: number,
  ): types.Transport {
    const params: types.TransportOptions = {
      id: options.id,
      iceParameters: options.iceParameters as types.IceParameters,
      iceCandidates: options.iceCandidates as types.IceCandidate[],
      dtlsParameters: options.dtlsParameters as types.DtlsParameters,
      sctpParameters: options.sctpParameters as types.SctpParameters | undefined,
      iceServers,
      iceTransportPolicy: this.host.iceTransportPolicy,
    };
    const transport = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
    // Our camera hears the server's dynacast pushes once it exists.
    if (direction === 'send') transport.observer.on('newproducer', (producer) => this.layers.producerAdded(producer));
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.host.request('sfu:connectTransport', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as unknown as WireObject,
      }).then(callback, errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.host.request('sfu:produce', {
        transportId: transport.id,
        kind,
        rtpParameters: rtpParameters as unknown as WireRtpParameters,
        paused: appData.paused === true,
        source: appData.source === 'screen' ? 'screen' : defaultSource(kind),
      }).then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport.on('producedata', ({ sctpStreamParameters, label, protocol }, callback, errback) => {
      this.host.request('sfu:produceData', {
        transportId: transport.id,
        sctpStreamParameters: sctpStreamParameters as unknown as WireObject,
        label,
        protocol,
      }).then(({ dataProducerId }) => callback({ id: dataProducerId }), errback);
    });
    this.watchTransport(transport, direction, setup);
    return transport;
  }

  /**
   * A transport that fails, stays disconnected or never connects is repaired with an ICE restart:
   * new ICE credentials from the server, then restartIce here (mediasoup is ICE-lite, so the
   * browser drives the checks). Watched only once it has started connecting: a receive transport
   * stays 'new' for as long as there is nothing to consume. The call fails only when the repairs
   * run out.
   */
  private watchTransport(transport: types.Transport, direction: 'send' | 'recv', setup: number): void {
    const giveUp = () => this.failTransport(direction);
    const watchdog = new IceWatchdog(() => void this.restartIce(transport, setup), giveUp, this.repairPolicy);
    transport.on('connectionstatechange', (state) => {
      if (state !== 'new') watchdog.observe(state);
      this.onTransportState(direction, state);
    });
    transport.observer.on('close', () => watchdog.close());
  }

  private async restartIce(transport: types.Transport, setup: number): Promise<void> {
    if (transport.closed || setup !== this.generation) return;
    try {
      const { iceParameters } = await this.host.request('sfu:restartIce', { transportId: transport.id });
      if (transport.closed || setup !== this.generation) return;
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch (err) {
      // Signaling down, or the transport gone: the watchdog tries again after its delay.
      console.warn('SFU ICE restart failed', err);
    }
  }

  private failTransport(direction: 'send' | 'recv'): void {
    if (this.closed) return;
    this.host.failed({
      code: 'ICE_FAILED',
      message: `the ${direction} connection to the SFU failed (ICE/DTLS) and ICE restarts did not repair it; check the network or TURN settings`,
    });
  }

  private async produceLocal(transport: types.Transport, stream: MediaStream): Promise<void> {
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    const device = this.device;
    if (audio && device?.canProduce('audio')) {
      await this.produceTrack(transport, 'audio', { track: audio });
    }
    if (video && device?.canProduce('video')) {
      await this.produceTrack(transport, 'video', {
        track: video,
        encodings: SIMULCAST_LAYERS,
        codecOptions: { videoGoogleStartBitrate: 1000 },
      });
    }
  }

  private async produceTrack(transport: types.Transport, slot: Slot, options: types.ProducerOptions): Promise<void> {
    const paused = !options.track?.enabled;
    // The local stream belongs to the page (preview, rejoin), so closing a producer must not stop it,
    // and pausing one must not disable it: the call owns track.enabled (mute), and in an auto room's
    // switch a mesh link sends the same track.
    const appData = { paused, source: slot === 'screen' ? 'screen' : defaultSource(slot) };
    // With E2EE the sender encrypts from its first frame: the transform is set before negotiation.
    const kind = options.track?.kind === 'audio' ? 'audio' : 'video';
    const onRtpSender = this.e2ee ? (sender: RTCRtpSender) => this.e2ee?.protectSender(sender, kind) : undefined;
    const producer = await transport.produce({ ...options, stopTracks: false, disableTrackOnPause: false, onRtpSender, appData });
    if (paused) producer.pause();
    this.producers.set(slot, producer);
  }

  /** Makes the screen producer match `stream` (see screenChanged); runs once the transports are up. */
  private async applyScreen(stream: MediaStream | null): Promise<void> {
    if (this.closed) return;
    const setup = this.generation;
    const track = stream?.getVideoTracks()[0] ?? null;
    const current = this.producers.get('screen');
    if (current && current.track === track && !current.closed) return;
    if (current) {
      this.producers.delete('screen');
      current.close();
      // The server may have closed it already (its transport went): nothing left to close then.
      await this.host.request('sfu:closeProducer', { producerId: current.id }).catch((err) => console.warn('sfu:closeProducer refused', err));
    }
    if (!track || !this.device?.canProduce('video')) return;
    // Joined receive-only (no camera or microphone): the share is the first thing we send.
    this.sendTransport ??= await this.createTransport(this.device, 'send', this.iceServers, setup);
    this.checkOpen(setup);
    await this.produceTrack(this.sendTransport, 'screen', { track, encodings: [{ ...SCREEN_ENCODING }] });
  }

  private async consume(info: ProducerInfo): Promise<void> {
    const device = this.device;
    const transport = this.recvTransport;
    if (this.closed || !device || !transport || info.peerId === this.host.selfId || this.wanted.has(info.producerId)) return;
    this.wanted.add(info.producerId);
    try {
      const options = await this.host.request('sfu:consume', {
        producerId: info.producerId,
        rtpCapabilities: device.rtpCapabilities as unknown as WireObject,
      });
      if (this.closed || transport.closed) return;
      const consumer = await transport.consume({
        id: options.id,
        producerId: options.producerId,
        kind: options.kind,
        rtpParameters: options.rtpParameters as types.RtpParameters,
        onRtpReceiver: this.e2ee ? (receiver: RTCRtpReceiver) => this.e2ee?.protectReceiver(receiver, options.peerId, options.kind) : undefined,
      });
      if (this.closed || !this.wanted.has(info.producerId)) {
        consumer.close(); // its producer went away while we were setting up
        return;
      }
      this.remote.set(consumer.id, { consumer, peerId: options.peerId, source: options.source ?? info.source });
      this.layers.consumerAdded(consumer, options.peerId, options.source ?? info.source);
      this.publishPeer(options.peerId);
      await this.host.request('sfu:resumeConsumer', { consumerId: consumer.id });
    } catch (err) {
      this.wanted.delete(info.producerId);
      if (!this.closed) console.warn(`could not consume producer ${info.producerId} of ${info.peerId}`, err);
    }
  }

  private async consumePings(info: DataProducerInfo): Promise<void> {
    const transport = this.recvTransport;
    if (this.closed || !transport || info.peerId === this.host.selfId) return;
    await this.pingChannels.consume(transport, info);
  }

  private dropProducer(producerId: string): void {
    this.wanted.delete(producerId);
    for (const [consumerId, entry] of this.remote) {
      if (entry.consumer.producerId !== producerId) continue;
      entry.consumer.close();
      this.remote.delete(consumerId);
      this.publishPeer(entry.peerId);
    }
  }

  /** A fresh MediaStream per change, so renderers see a new object and re-attach. */
  private publishPeer(peerId: string): void {
    const entries = [...this.remote.values()].filter((e) => e.peerId === peerId);
    const streamOf = (tracks: MediaStreamTrack[]) => (tracks.length ? new MediaStream(tracks) : null);
    const stream = streamOf(entries.filter((e) => e.source !== 'screen').map((e) => e.consumer.track));
    const screen = streamOf(entries.filter((e) => e.source === 'screen').map((e) => e.consumer.track));
    // Only what changed: a new camera stream object must not re-attach an unchanged screen tile.
    const media: PeerMedia = {};
    if (!sameTracks(this.streams.get(peerId) ?? null, stream)) media.stream = stream;
    if (!sameTracks(this.screens.get(peerId) ?? null, screen)) media.screen = screen;
    this.streams.set(peerId, stream);
    this.screens.set(peerId, screen);
    this.host.peerMedia(peerId, media);
  }

  private onTransportState(direction: 'send' | 'recv', state: types.ConnectionState): void {
    if (!this.closed) this.host.connectionState(direction, state);
    if (this.closed || direction !== 'recv') return;
    this.recvState = state;
    for (const id of this.host.peerIds()) this.host.peerMedia(id, { connectionState: state });
  }
}

function sameTracks(a: MediaStream | null, b: MediaStream | null): boolean {
  const ids = (s: MediaStream | null) => (s ? s.getTracks().map((t) => t.id).sort().join() : '');
  return ids(a) === ids(b);
}
