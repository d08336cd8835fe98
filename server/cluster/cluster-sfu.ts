// The SFU of one node in a cluster, as signaling sees it: the local mediasoup SFU plus the producer directory
// (every node's producers and data producers of a room) and the cascade (remote ones piped in on demand).
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { ServerError } from '../../signaling/errors';
import { KeyedQueue } from '../../signaling/keyed-queue';
import type { ConsumerOptions, DataConsumerOptions, DataProducerInfo, ProducerInfo, SfuProduceRequest } from '../../signaling/protocol';
import type { SfuEvents } from '../../signaling/sfu-service';
import type { MediasoupSfu } from '../sfu/mediasoup-sfu';
import type { ServerSfu, SfuCounts, SfuTraffic } from '../sfu/types';
import { Cascade, type CascadeOptions, type CrossNodeBytes, type PipedProducers } from './cascade';
import { CascadeError } from './cascade-protocol';
import type { DataProducerEntry, ProducerDirectory, ProducerEntry } from './producer-directory';

/** What the cluster needs of this node's own SFU: MediasoupSfu (server/sfu createSfu) is one. */
export type LocalSfu = ServerSfu & Pick<MediasoupSfu, 'openRoom' | 'roomIdOf'>;

export interface ClusterSfuOptions {
  local: LocalSfu;
  /** NODE_ID. */
  nodeId: string;
  directory: ProducerDirectory;
  /** The pipes: CLUSTER_SECRET, resolveNode (node id → base URL), and the SFU's listen/announced address. */
  cascade: Omit<CascadeOptions, 'nodeId' | 'openRoom' | 'logger'>;
  logger: Logger;
  /** How often each local room's view of the directory is re-read and its expiry renewed. Default 2 s. */
  refreshMs?: number;
  /** The longest an event waits for its directory write (Redis down) before it goes out anyway. Default 2 s. */
  directoryTimeoutMs?: number;
}

type Delegated = Omit<ServerSfu, 'on' | 'addPeer' | 'listProducers' | 'consume' | 'listDataProducers' | 'consumeData' | 'close'>;

export class ClusterSfu extends EventEmitter<SfuEvents> implements ServerSfu {
  readonly nodeId: string;
  readonly cascade: Cascade;
  private readonly local: LocalSfu;
  private readonly directory: ProducerDirectory;
  private readonly logger: Logger;
  /** Each local room's last view of the directory, by (data) producer id: the listings answer from it. */
  private readonly views = new Map<string, Map<string, ProducerEntry>>();
  /** Directory writes and the events that follow them, in order per room. */
  private readonly roomQueue = new KeyedQueue();
  private readonly directoryTimeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private refreshing = false;
  /** Bumped by dropNode: a directory read that started before it may still hold the lost node's producers. */
  private generation = 0;
  /** Set by close(): the rooms closing after it must not write to the directory any more. */
  private closed = false;

  constructor(options: ClusterSfuOptions) {
    super();
    this.nodeId = options.nodeId;
    this.local = options.local;
    this.directory = options.directory;
    this.logger = options.logger.child({ module: 'cluster-sfu', nodeId: options.nodeId });
    this.directoryTimeoutMs = options.directoryTimeoutMs ?? 2_000;
    this.cascade = new Cascade({ ...options.cascade, nodeId: this.nodeId, openRoom: (id) => this.local.openRoom(id), logger: options.logger });
    this.forwardEvents();
    this.timer = setInterval(() => void this.refreshAll(), options.refreshMs ?? 2_000);
    this.timer.unref();
  }

  // Plain delegation: what does not depend on where producers live.
  unavailableReason: Delegated['unavailableReason'] = () => this.local.unavailableReason();
  createTransport: Delegated['createTransport'] = (...a) => this.local.createTransport(...a);
  connectTransport: Delegated['connectTransport'] = (...a) => this.local.connectTransport(...a);
  restartIce: Delegated['restartIce'] = (...a) => this.local.restartIce(...a);
  resumeConsumer: Delegated['resumeConsumer'] = (...a) => this.local.resumeConsumer(...a);
  setPreferredLayers: Delegated['setPreferredLayers'] = (...a) => this.local.setPreferredLayers(...a);
  pauseProducer: Delegated['pauseProducer'] = (...a) => this.local.pauseProducer(...a);
  resumeProducer: Delegated['resumeProducer'] = (...a) => this.local.resumeProducer(...a);
  closeProducer: Delegated['closeProducer'] = (...a) => this.local.closeProducer(...a);
  produceData: Delegated['produceData'] = (...a) => this.local.produceData(...a);
  closePeer: Delegated['closePeer'] = (...a) => this.local.closePeer(...a);
  releaseMedia: Delegated['releaseMedia'] = (...a) => this.local.releaseMedia(...a);
  roomRates: Delegated['roomRates'] = (...a) => this.local.roomRates(...a);
  counts = (): SfuCounts => this.local.counts();
  traffic = (): Promise<SfuTraffic> => this.local.traffic();
  busiestWorkerPid = (): number | null => this.local.busiestWorkerPid();

  /** The room's producers on the other nodes are read here, so listProducers can answer at once. */
  async addPeer(roomId: string, peerId: string): Promise<{ routerRtpCapabilities: unknown }> {
    const joined = await this.local.addPeer(roomId, peerId);
    // Present even if the read below fails, so the periodic refresh keeps trying.
    if (!this.views.has(roomId)) this.views.set(roomId, new Map());
    await this.refreshRoom(roomId).catch((err: unknown) => this.logger.warn({ err, roomId }, 'producer directory unreachable; remote producers may be missing'));
    return joined;
  }

  produce(peerId: string, request: SfuProduceRequest): Promise<{ producerId: string }> {
    // Registered in the directory by the newProducer event (forwardEvents), before anyone hears of it.
    return this.local.produce(peerId, request);
  }

  /** Producers of every other peer of this peer's room, on this node and the others (the directory read now). */
  async listProducers(peerId: string): Promise<ProducerInfo[]> {
    const roomId = this.local.roomIdOf(peerId);
    // Fresh: a producer another node added a moment ago must not be missed by a client catching up.
    if (roomId) await this.refreshRoom(roomId).catch((err: unknown) => this.logger.warn({ err, roomId }, 'producer directory unreachable; listing the last view'));
    const list = [...(await this.local.listProducers(peerId))];
    const seen = new Set(list.map((info) => info.producerId));
    for (const entry of this.remoteEntries(roomId, peerId, seen)) {
      if (entry.kind !== 'data') list.push({ producerId: entry.producerId, peerId: entry.peerId, kind: entry.kind, source: entry.source });
    }
    return list;
  }

  /** A producer of another node is piped in first (once per node, whoever asks), then consumed as a local one. */
  async consume(peerId: string, producerId: string, rtpCapabilities: unknown): Promise<ConsumerOptions> {
    await this.pipeFirst(peerId, producerId, false);
    return this.local.consume(peerId, producerId, rtpCapabilities);
  }

  /** Data producers (ping channels) of every other peer of the room, on every node: read fresh, like listProducers. */
  async listDataProducers(peerId: string): Promise<DataProducerInfo[]> {
    const roomId = this.local.roomIdOf(peerId);
    if (roomId) await this.refreshRoom(roomId).catch((err: unknown) => this.logger.warn({ err, roomId }, 'producer directory unreachable; listing the last view'));
    const list = [...(await this.local.listDataProducers(peerId))];
    const seen = new Set(list.map((info) => info.dataProducerId));
    for (const entry of this.remoteEntries(roomId, peerId, seen)) {
      if (entry.kind === 'data') list.push({ dataProducerId: entry.producerId, peerId: entry.peerId });
    }
    return list;
  }

  /** Like consume: another node's data producer is piped in first (once per node), so its pings cross the cascade. */
  async consumeData(peerId: string, dataProducerId: string): Promise<DataConsumerOptions> {
    await this.pipeFirst(peerId, dataProducerId, true);
    return this.local.consumeData(peerId, dataProducerId);
  }

  /** A node died: its pipes close (their consumers here hear consumerClosed) and its producers leave the directory. */
  async dropNode(nodeId: string): Promise<void> {
    if (nodeId === this.nodeId) return;
    this.generation += 1;
    this.cascade.dropNode(nodeId);
    // Every local room, not only those whose (possibly stale) view shows the node's producers.
    await Promise.all(
      [...this.views].map(async ([roomId, view]) => {
        for (const [producerId, entry] of view) if (entry.nodeId === nodeId) view.delete(producerId);
        await this.bounded(this.directory.removeNode(roomId, nodeId)).catch((err: unknown) => this.logger.warn({ err, roomId, lostNode: nodeId }, 'could not drop a lost node from the directory'));
      }),
    );
  }

  crossNodeBytes(): Promise<CrossNodeBytes[]> {
    return this.cascade.crossNodeBytes();
  }

  /** Media producers piped, per node and direction (data producers: pipedDataProducers). */
  pipedProducers(): PipedProducers[] {
    return this.cascade.pipedProducers();
  }

  /** Data producers piped, per node and direction; `producers` counts data producers here. */
  pipedDataProducers(): PipedProducers[] {
    return this.cascade.pipedDataProducers();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.cascade.close();
    // Our producers leave the directory now rather than when the room's hash expires.
    await Promise.all([...this.views.keys()].map((roomId) => this.bounded(this.directory.removeNode(roomId, this.nodeId)).catch(() => 0)));
    this.views.clear();
    await this.local.close();
  }

  // ---- internals ------------------------------------------------------------------------------
  private forwardEvents(): void {
    const local = this.local;
    local.on('newProducer', (roomId, info) => {
      const entry: ProducerEntry = { ...info, nodeId: this.nodeId };
      this.afterDirectory(roomId, 'newProducer', () => this.directory.add(roomId, entry), () => {
        this.views.get(roomId)?.set(info.producerId, entry);
        this.emit('newProducer', roomId, info);
      });
    });
    local.on('producerClosed', (roomId, info) => {
      this.afterDirectory(roomId, 'producerClosed', () => this.directory.remove(roomId, info.producerId), () => {
        this.views.get(roomId)?.delete(info.producerId);
        this.emit('producerClosed', roomId, info);
      });
    });
    local.on('roomReset', (roomId, peerIds, reason) => {
      // The worker took our producers with it without a producerClosed each.
      this.afterDirectory(roomId, 'roomReset', () => this.directory.removeNode(roomId, this.nodeId), () => {
        this.views.delete(roomId);
        this.emit('roomReset', roomId, peerIds, reason);
      });
    });
    local.on('newDataProducer', (roomId, info) => {
      const entry: DataProducerEntry = { producerId: info.dataProducerId, peerId: info.peerId, kind: 'data', nodeId: this.nodeId };
      this.afterDirectory(roomId, 'newDataProducer', () => this.directory.add(roomId, entry), () => {
        this.views.get(roomId)?.set(entry.producerId, entry);
        this.emit('newDataProducer', roomId, info);
      });
      // The local SFU has no event for a data producer closing (browsers learn it from the roster), but the
      // directory must forget it; queued after the add above, so the two are written in order.
      this.local.openRoom(roomId)?.ownDataProducer(info.dataProducerId)?.dataProducer.observer.once('close', () => {
        if (this.closed) return;
        this.afterDirectory(roomId, 'dataProducerClosed', () => this.directory.remove(roomId, entry.producerId), () => this.views.get(roomId)?.delete(entry.producerId));
      });
    });
    local.on('consumerClosed', (...args) => this.emit('consumerClosed', ...args));
    local.on('activeSpeaker', (...args) => this.emit('activeSpeaker', ...args));
    local.on('producerLayers', (...args) => this.emit('producerLayers', ...args));
  }

  /** The directory write, then the event (even if the write failed: local peers still need it). */
  private afterDirectory(roomId: string, event: string, write: () => Promise<unknown>, then: () => void): void {
    void this.roomQueue.run(roomId, async () => {
      await this.bounded(write()).catch((err: unknown) => this.logger.warn({ err, roomId, event }, 'producer directory write failed'));
      try {
        then();
      } catch (err) {
        this.logger.error({ err, event }, 'sfu event listener threw');
      }
    });
  }

  private async refreshRoom(roomId: string): Promise<void> {
    const generation = this.generation;
    const [entries] = await Promise.all([this.bounded(this.directory.list(roomId)), this.bounded(this.directory.touch(roomId))]);
    if (generation !== this.generation) return; // the next refresh reads the directory without the lost node
    if (!this.local.openRoom(roomId)) {
      this.views.delete(roomId);
      return;
    }
    this.views.set(roomId, new Map(entries.map((entry) => [entry.producerId, entry])));
  }

  private async refreshAll(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      for (const roomId of [...this.views.keys()]) {
        if (!this.local.openRoom(roomId)) this.views.delete(roomId);
        else await this.refreshRoom(roomId).catch((err: unknown) => this.logger.debug({ err, roomId }, 'producer directory refresh failed'));
      }
    } finally {
      this.refreshing = false;
    }
  }

  /** Entries of other nodes' peers (not `peerId`'s, not already listed) in the room's view. */
  private remoteEntries(roomId: string | null, peerId: string, seen: Set<string>): ProducerEntry[] {
    const view = roomId ? this.views.get(roomId) : undefined;
    return [...(view?.values() ?? [])].filter((entry) => entry.nodeId !== this.nodeId && entry.peerId !== peerId && !seen.has(entry.producerId));
  }

  /** Pipes in a (data) producer the directory places on another node, unless the room already has it. */
  private async pipeFirst(peerId: string, id: string, data: boolean): Promise<void> {
    const roomId = this.local.roomIdOf(peerId);
    const room = roomId ? this.local.openRoom(roomId) : null;
    if (!roomId || !room) return; // the local SFU answers why
    const here = data ? room.pipeDataProducers.has(id) || room.ownDataProducer(id) : room.pipeProducers.has(id) || room.ownProducer(id);
    if (here) return;
    const entry = this.views.get(roomId)?.get(id) ?? (await this.bounded(this.directory.find(roomId, id)).catch(() => null));
    // A media id asked for as data (or the reverse) falls through to the local SFU's NOT_FOUND.
    if (!entry || entry.nodeId === this.nodeId || (entry.kind === 'data') !== data) return;
    try {
      await (data ? this.cascade.pipeDataIn(roomId, id, entry.nodeId) : this.cascade.pipeIn(roomId, id, entry.nodeId));
    } catch (err) {
      throw this.pipeError(err, roomId, entry);
    }
  }

  private pipeError(err: unknown, roomId: string, entry: ProducerEntry): unknown {
    if (err instanceof ServerError) return err;
    const what = entry.kind === 'data' ? 'data producer' : 'producer';
    if (err instanceof CascadeError && err.status === 404) {
      this.views.get(roomId)?.delete(entry.producerId);
      return new ServerError('NOT_FOUND', `${what} ${entry.producerId} is gone from node ${entry.nodeId}`);
    }
    this.logger.warn({ err, roomId, producerId: entry.producerId, fromNode: entry.nodeId }, 'cascade pipe failed');
    const why = err instanceof Error ? err.message : String(err);
    return new ServerError('SFU_UNAVAILABLE', `cannot bring ${what} ${entry.producerId} over from node ${entry.nodeId}: ${why}`);
  }

  private bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`producer directory did not answer within ${this.directoryTimeoutMs} ms`)), this.directoryTimeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
