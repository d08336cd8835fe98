// The SFU on mediasoup (signaling's SfuService plus the server's ServerSfu): rooms (one router each),
// peers and their transports, producers and consumers, and what happens when a peer leaves or a worker dies.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';
import type {
  ConsumerOptions,
  DataConsumerOptions,
  DataProducerInfo,
  ProducerInfo,
  ServerPeerRates,
  SfuProduceDataRequest,
  SfuProduceRequest,
  TransportOptions,
} from '../../signaling/protocol';
import type { SfuEvents } from '../../signaling/sfu-service';
import { ActiveSpeakers } from './active-speaker';
import { LIMITS, type ResolvedSfuConfig } from './config';
import { consumeData, produceData } from './data-channels';
import { Dynacast } from './dynacast';
import { consumeMedia, produceMedia, sourceOf } from './media';
import { mediaError } from './media-error';
import { Peer, type Direction } from './peer';
import { RoomRatesCache } from './rates';
import type { Room } from './room';
import { RoomRegistry } from './room-registry';
import type { ServerSfu, SfuCounts, SfuTraffic } from './types';
import type { WorkerPool } from './worker-pool';

export class MediasoupSfu extends EventEmitter<SfuEvents> implements ServerSfu {
  private rooms: RoomRegistry | null = null;
  private readonly peers = new Map<string, Peer>();
  private pool: WorkerPool | null = null;
  private reason: string | null = 'the SFU is starting';
  private readonly rates = new RoomRatesCache();
  private readonly speakers: ActiveSpeakers;
  /** Preferred layers of consumers, and each simulcast producer's highest needed layer told to its owner. */
  private readonly dynacast = new Dynacast((peerId, layers) => this.safeEmit('producerLayers', peerId, layers));

  constructor(
    private readonly config: ResolvedSfuConfig,
    private readonly logger: Logger,
  ) {
    super();
    this.speakers = new ActiveSpeakers((roomId, info) => this.safeEmit('activeSpeaker', roomId, info), logger);
  }

  busiestWorkerPid(): number | null {
    return this.pool?.busiestPid() ?? null;
  }

  /** Called once by createSfu: a running pool, or the reason there is none. */
  attach(pool: WorkerPool | null, reason: string | null): void {
    this.pool = pool;
    this.rooms = pool ? new RoomRegistry(pool, this.logger) : null;
    this.reason = pool ? null : (reason ?? 'no mediasoup worker pool');
    pool?.on('workerDied', (worker, why) => this.onWorkerDied(worker, why));
  }

  unavailableReason(): string | null {
    if (this.reason) return this.reason;
    if (!this.pool || this.pool.size === 0) return 'no mediasoup worker is running (they died and could not be replaced)';
    return null;
  }

  async addPeer(roomId: string, peerId: string): Promise<{ routerRtpCapabilities: unknown }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = this.existingPeer(roomId, peerId);
      if (existing) return { routerRtpCapabilities: existing.rtpCapabilities };
      const room = await this.registry().obtain(roomId);
      this.dynacast.watch(room.router);
      const raced = this.existingPeer(roomId, peerId);
      if (raced) return { routerRtpCapabilities: raced.rtpCapabilities };
      // The room may have emptied and closed, or lost its worker, while we waited for it.
      if (room.router.closed || this.rooms?.get(roomId) !== room) continue;
      const peer = new Peer(peerId, roomId);
      room.peers.set(peerId, peer);
      this.peers.set(peerId, peer);
      this.logger.debug({ roomId, peerId, peers: room.peers.size }, 'sfu peer added');
      return { routerRtpCapabilities: room.rtpCapabilities };
    }
    throw new ServerError('SFU_UNAVAILABLE', `room ${roomId} closed while joining; try again`);
  }

  async createTransport(peerId: string, direction: Direction): Promise<TransportOptions> {
    const peer = this.peer(peerId);
    const room = this.roomOf(peer);
    if (peer.transports.size >= LIMITS.transportsPerPeer) {
      throw new ServerError('BAD_REQUEST', `peer ${peerId} already has ${peer.transports.size} transports`);
    }
    const { listenIp, announcedAddress, alsoListenIps } = this.config;
    const transport = await room.router.createWebRtcTransport({
      // The first address's candidates get the highest priority.
      listenIps: [{ ip: listenIp, announcedIp: announcedAddress }, ...alsoListenIps.map((ip) => ({ ip }))],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      enableSctp: true,
      initialAvailableOutgoingBitrate: this.config.initialAvailableOutgoingBitrate,
      appData: { peerId, direction },
    });
    if (!this.isCurrent(peer)) {
      transport.close();
      throw new ServerError('NOT_IN_ROOM', `peer ${peerId} left while its transport was being created`);
    }
    peer.transports.set(transport.id, { transport, direction });
    transport.on('routerclose', () => peer.transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') this.logger.info({ peerId, transportId: transport.id, state }, 'sfu dtls');
    });
    if (direction === 'send') {
      await transport.setMaxIncomingBitrate(this.config.maxIncomingBitrate).catch((err: unknown) => {
        this.logger.warn({ err, transportId: transport.id }, 'setMaxIncomingBitrate failed');
      });
    }
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      sctpParameters: transport.sctpParameters,
    };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: unknown): Promise<void> {
    const { transport } = this.peer(peerId).transport(transportId);
    try {
      await transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
    } catch (err) {
      throw mediaError('dtlsParameters', err);
    }
  }

  async restartIce(peerId: string, transportId: string): Promise<{ iceParameters: unknown }> {
    // NOT_FOUND for a transport that is not this peer's: nobody restarts someone else's.
    const { transport } = this.peer(peerId).transport(transportId);
    const iceParameters = await transport.restartIce();
    this.logger.info({ peerId, transportId }, 'sfu ice restart');
    return { iceParameters };
  }

  async produce(peerId: string, request: SfuProduceRequest): Promise<{ producerId: string }> {
    const peer = this.peer(peerId);
    const producer = await produceMedia(peer, request);
    if (!this.isCurrent(peer)) {
      producer.close();
      throw new ServerError('NOT_IN_ROOM', `peer ${peerId} left while producing`);
    }
    peer.producers.set(producer.id, producer);
    producer.on('transportclose', () => peer.producers.delete(producer.id));
    this.dynacast.addProducer(producer, peerId);
    const source = sourceOf(producer);
    this.logger.debug({ peerId, producerId: producer.id, kind: producer.kind, source }, 'sfu producer created');
    this.safeEmit('newProducer', peer.roomId, { producerId: producer.id, peerId, kind: producer.kind, source });
    const router = this.rooms?.get(peer.roomId)?.router;
    if (router) void this.speakers.add(peer.roomId, router, producer, peerId);
    return { producerId: producer.id };
  }

  listProducers(peerId: string): ProducerInfo[] {
    const peer = this.peer(peerId);
    return this.roomOf(peer).producersExcept(peerId);
  }

  async consume(peerId: string, producerId: string, rtpCapabilities: unknown): Promise<ConsumerOptions> {
    const peer = this.peer(peerId);
    const room = this.roomOf(peer);
    const { consumer, ownerId, source } = await consumeMedia(peer, room, producerId, rtpCapabilities);
    if (!this.isCurrent(peer)) {
      consumer.close();
      throw new ServerError('NOT_IN_ROOM', `peer ${peerId} left while consuming`);
    }
    peer.consumers.set(consumer.id, consumer);
    // transportclose means this peer is leaving; only a vanished producer is news to the client.
    consumer.on('transportclose', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      peer.consumers.delete(consumer.id);
      this.safeEmit('consumerClosed', peerId, { consumerId: consumer.id, producerId });
    });
    return { id: consumer.id, producerId, peerId: ownerId, kind: consumer.kind, source, rtpParameters: consumer.rtpParameters };
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    await this.peer(peerId).consumer(consumerId).resume();
  }

  async setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number): Promise<void> {
    // peer.consumer() throws NOT_FOUND for a consumer that is not this peer's.
    await this.dynacast.setPreferredLayers(this.peer(peerId).consumer(consumerId), spatialLayer);
  }

  async pauseProducer(peerId: string, producerId: string): Promise<void> {
    await this.peer(peerId).producer(producerId).pause();
  }

  async resumeProducer(peerId: string, producerId: string): Promise<void> {
    await this.peer(peerId).producer(producerId).resume();
  }

  closeProducer(peerId: string, producerId: string): void {
    // peer.producer() throws NOT_FOUND for a producer that is not this peer's: nobody closes another's.
    const peer = this.peer(peerId);
    const producer = peer.producer(producerId);
    producer.close();
    peer.producers.delete(producerId);
    this.logger.debug({ peerId, producerId }, 'sfu producer closed by its peer');
    this.safeEmit('producerClosed', peer.roomId, { producerId, peerId });
  }

  async produceData(peerId: string, request: SfuProduceDataRequest): Promise<{ dataProducerId: string }> {
    const peer = this.peer(peerId);
    const dataProducer = await produceData(peer, request);
    if (!this.isCurrent(peer)) {
      dataProducer.close();
      throw new ServerError('NOT_IN_ROOM', `peer ${peerId} left while producing data`);
    }
    this.safeEmit('newDataProducer', peer.roomId, { dataProducerId: dataProducer.id, peerId });
    return { dataProducerId: dataProducer.id };
  }

  listDataProducers(peerId: string): DataProducerInfo[] {
    const peer = this.peer(peerId);
    return this.roomOf(peer).dataProducersExcept(peerId);
  }

  consumeData(peerId: string, dataProducerId: string): Promise<DataConsumerOptions> {
    const peer = this.peer(peerId);
    return consumeData(peer, this.roomOf(peer), dataProducerId);
  }

  closePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    this.closeMedia(peer);
    const room = this.rooms?.get(peer.roomId);
    room?.peers.delete(peerId);
    this.logger.debug({ roomId: peer.roomId, peerId }, 'sfu peer closed');
    if (room && room.peers.size === 0) this.rooms?.close(room);
  }

  releaseMedia(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (peer) this.closeMedia(peer);
  }

  roomRates(roomId: string): Promise<ServerPeerRates[]> {
    const room = this.rooms?.get(roomId);
    return room ? this.rates.get(room) : Promise.resolve([]);
  }

  traffic(): Promise<SfuTraffic> {
    return this.rates.traffic(this.rooms?.values() ?? []);
  }

  counts(): SfuCounts {
    let producers = 0;
    let consumers = 0;
    for (const peer of this.peers.values()) {
      producers += peer.producers.size;
      consumers += peer.consumers.size;
    }
    return { rooms: this.rooms?.size ?? 0, peers: this.peers.size, producers, consumers, workers: this.pool?.size ?? 0 };
  }

  /** The open room with this id (its router and producers), for the cascade between nodes. */
  openRoom(roomId: string): Room | null {
    const room = this.rooms?.get(roomId);
    return room && !room.router.closed ? room : null;
  }

  /** The SFU room a peer is in, or null. */
  roomIdOf(peerId: string): string | null {
    return this.peers.get(peerId)?.roomId ?? null;
  }

  /** Where a room's router lives (tests and diagnostics). */
  workerOf(roomId: string): types.Worker | null {
    return this.rooms?.get(roomId)?.worker ?? null;
  }

  async close(): Promise<void> {
    this.rooms?.closeAll();
    this.peers.clear();
    this.pool?.close();
    this.reason = 'the SFU was closed';
  }

  // ---- internals ------------------------------------------------------------------------------
  private existingPeer(roomId: string, peerId: string): Room | null {
    const peer = this.peers.get(peerId);
    if (!peer) return null;
    if (peer.roomId !== roomId) {
      throw new ServerError('ALREADY_IN_ROOM', `peer ${peerId} is already in SFU room ${peer.roomId}`);
    }
    return this.roomOf(peer);
  }

  /** Closes the peer's transports (and with them its producers and consumers) and tells the room. */
  private closeMedia(peer: Peer): void {
    const producerIds = [...peer.producers.keys()];
    peer.close();
    for (const producerId of producerIds) this.safeEmit('producerClosed', peer.roomId, { producerId, peerId: peer.id });
  }

  private onWorkerDied(worker: types.Worker, reason: string): void {
    for (const { room, peerIds } of this.rooms?.dropWorker(worker) ?? []) {
      for (const peerId of peerIds) this.peers.delete(peerId);
      this.logger.warn({ roomId: room.id, peers: peerIds.length }, 'sfu room reset: its worker died');
      this.safeEmit('roomReset', room.id, peerIds, reason);
    }
  }

  private registry(): RoomRegistry {
    const reason = this.unavailableReason();
    if (reason || !this.rooms) throw new ServerError('SFU_UNAVAILABLE', reason ?? 'the SFU is not running');
    return this.rooms;
  }

  private peer(peerId: string): Peer {
    const peer = this.peers.get(peerId);
    if (!peer) throw new ServerError('NOT_IN_ROOM', `peer ${peerId} is not in an SFU room`);
    return peer;
  }

  private roomOf(peer: Peer): Room {
    const room = this.rooms?.get(peer.roomId);
    if (!room) throw new ServerError('NOT_IN_ROOM', `SFU room ${peer.roomId} of peer ${peer.id} is gone`);
    return room;
  }

  private isCurrent(peer: Peer): boolean {
    return this.peers.get(peer.id) === peer;
  }

  /** A throwing listener must not break the SFU's own bookkeeping. */
  private safeEmit<K extends keyof SfuEvents>(event: K, ...args: SfuEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: SfuEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.logger.error({ err, event }, 'sfu event listener threw');
    }
  }
}
