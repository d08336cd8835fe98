// The cascade on the receiving node: one PipeTransport per room per origin node and one piped copy (same id) of
// each remote producer or data producer, whatever the consumers; it follows the origin and dies with its node.
import type { Logger } from 'pino';
import { ServerError } from '../../signaling/errors';
import { KeyedQueue } from '../../signaling/keyed-queue';
import type { Room } from '../sfu/room';
import { CascadeClient, type CascadeClientOptions } from './cascade-client';
import { CascadeOrigin } from './cascade-origin';
import { installDataProducer, installProducer } from './cascade-copies';
import type { PipeAnswer, PipeClosed, PipeDataAnswer, PipeRequest, ProducerEvent } from './cascade-protocol';
import { LinkTable, openPipeTransport, PipeLink, type CrossNodeBytes, type PipedProducers, type PipeTransportSettings } from './pipe-link';

export type { CrossNodeBytes, PipedProducers } from './pipe-link';

export interface CascadeOptions extends CascadeClientOptions {
  /** NODE_ID: this node's name in the cluster. */
  nodeId: string;
  /** The local SFU's open room (MediasoupSfu.openRoom). */
  openRoom: (roomId: string) => Room | null;
  /** The SFU's listen IP; pipes bind to it (a port in the workers' RTC range). */
  listenIp: string;
  /** What other nodes reach listenIp as (required when listenIp is 0.0.0.0 or ::). */
  announcedAddress?: string;
  /**
   * Encrypt pipes with SRTP (keys travel in the internal requests, so this only protects media if
   * the internal channel itself is private or HTTPS). Default: on unless listenIp is loopback.
   */
  enableSrtp?: boolean;
  logger: Logger;
}

const SHUTDOWN_NOTICE_MS = 1_000;

/** What differs between piping a producer and a data producer; the pair, its setup and its events are shared. */
interface PipeSteps<A extends PipeAnswer | PipeDataAnswer> {
  has(room: Room, id: string): boolean;
  ask(originNodeId: string, request: PipeRequest): Promise<A>;
  install(room: Room, link: PipeLink, answer: A, id: string, originNodeId: string): Promise<void>;
}

export class Cascade {
  readonly nodeId: string;
  private readonly table: LinkTable;
  private readonly client: CascadeClient;
  private readonly origin: CascadeOrigin;
  private readonly settings: PipeTransportSettings;
  private readonly openRoom: (roomId: string) => Room | null;
  private readonly logger: Logger;
  /** Inbound links are created one at a time per room and origin node. */
  private readonly linkQueue = new KeyedQueue();
  /** Pipes being set up, by room and (data) producer: concurrent consumers share one. Ids are UUIDs, never shared. */
  private readonly piping = new Map<string, Promise<void>>();
  /** The newest event that arrived for a pipe still being set up, applied once it exists. */
  private readonly deferred = new Map<string, ProducerEvent>();
  private readonly notices = new Set<Promise<void>>();
  private seq = 0;
  private readonly media: PipeSteps<PipeAnswer> = {
    has: (room, id) => room.pipeProducers.has(id) || room.ownProducer(id) !== null,
    ask: (nodeId, request) => this.client.pipe(nodeId, request),
    install: (room, link, answer, id, nodeId) => installProducer(room, link, answer, id, nodeId),
  };
  private readonly data: PipeSteps<PipeDataAnswer> = {
    has: (room, id) => room.pipeDataProducers.has(id) || room.ownDataProducer(id) !== null,
    ask: (nodeId, request) => this.client.pipeData(nodeId, request),
    install: (room, link, answer, id, nodeId) => installDataProducer(room, link, answer, id, nodeId),
  };

  constructor(options: CascadeOptions) {
    const wildcard = options.listenIp === '0.0.0.0' || options.listenIp === '::';
    if (wildcard && !options.announcedAddress) {
      throw new RangeError(`pipes listening on ${options.listenIp} need an announced address other nodes can reach`);
    }
    this.nodeId = options.nodeId;
    this.openRoom = options.openRoom;
    this.logger = options.logger.child({ module: 'cascade', nodeId: options.nodeId });
    const loopback = options.listenIp.startsWith('127.') || options.listenIp === '::1';
    this.settings = { listenIp: options.listenIp, announcedAddress: options.announcedAddress, enableSrtp: options.enableSrtp ?? !loopback };
    this.client = new CascadeClient(options);
    this.table = new LinkTable((link) => this.onLinkClosed(link));
    this.origin = new CascadeOrigin({
      nodeId: this.nodeId,
      openRoom: this.openRoom,
      table: this.table,
      client: this.client,
      transport: this.settings,
      nextSeq: () => ++this.seq,
      logger: this.logger,
    });
  }

  /** Makes `producerId` of `originNodeId` consumable in this node's room (once, however many ask). */
  pipeIn(roomId: string, producerId: string, originNodeId: string): Promise<void> {
    return this.pipeShared(roomId, producerId, originNodeId, this.media);
  }

  /** Makes data producer `dataProducerId` of `originNodeId` consumable here (once, however many ask). */
  pipeDataIn(roomId: string, dataProducerId: string, originNodeId: string): Promise<void> {
    return this.pipeShared(roomId, dataProducerId, originNodeId, this.data);
  }

  private pipeShared<A extends PipeAnswer | PipeDataAnswer>(roomId: string, id: string, originNodeId: string, steps: PipeSteps<A>): Promise<void> {
    if (originNodeId === this.nodeId) return Promise.resolve();
    const key = `${roomId}\n${id}`;
    let pending = this.piping.get(key);
    if (!pending) {
      pending = this.pipeInOnce(roomId, id, originNodeId, steps).finally(() => {
        this.piping.delete(key);
        this.deferred.delete(key);
      });
      this.piping.set(key, pending);
    }
    return pending;
  }

  /** The internal channel's pipe request, on the origin node. */
  handlePipe(request: PipeRequest): Promise<PipeAnswer> {
    return this.origin.handlePipe(request);
  }

  /** The internal channel's pipe-data request, on the origin node. */
  handlePipeData(request: PipeRequest): Promise<PipeDataAnswer> {
    return this.origin.handlePipeData(request);
  }

  /** The origin's (data) producer closed, paused or resumed: so does our copy. False when we hold no such pipe. */
  handleProducerEvent(event: ProducerEvent): boolean {
    const key = `${event.roomId}\n${event.producerId}`;
    const link = this.table.get('in', event.roomId, event.nodeId);
    if (!link || !(link.producers.has(event.producerId) || link.dataProducers.has(event.producerId))) {
      if (!this.piping.has(key)) return false;
      const earlier = this.deferred.get(key);
      if (!earlier || earlier.seq < event.seq) this.deferred.set(key, event);
      return true;
    }
    this.apply(link, event.producerId, event);
    return true;
  }

  /** The other node closed its end of a pair: close ours. False when it names no link of ours. */
  handlePipeClosed(message: PipeClosed): boolean {
    for (const direction of ['in', 'out'] as const) {
      const link = this.table.get(direction, message.roomId, message.nodeId);
      if (link && link.transport.id === message.transportId) {
        link.close('remote');
        return true;
      }
    }
    return false;
  }

  /** A node died: close every pipe to and from it (its copies close, and with them their local consumers). */
  dropNode(nodeId: string): void {
    const links = this.table.all().filter((link) => link.nodeId === nodeId);
    for (const link of links) link.close('dropped');
    if (links.length) this.logger.warn({ lostNode: nodeId, links: links.length }, 'cascade pipes to a lost node closed');
  }

  crossNodeBytes(): Promise<CrossNodeBytes[]> {
    return this.table.crossNodeBytes();
  }

  /** Media producers only; see pipedDataProducers. */
  pipedProducers(): PipedProducers[] {
    return this.table.pipedProducers();
  }

  pipedDataProducers(): PipedProducers[] {
    return this.table.pipedDataProducers();
  }

  /** Every open pipe end, for diagnostics and the topology view. */
  links(): { roomId: string; nodeId: string; direction: 'in' | 'out'; transportId: string; srtp: boolean; producers: number; dataProducers: number }[] {
    return this.table.all().map((link) => ({
      roomId: link.roomId,
      nodeId: link.nodeId,
      direction: link.direction,
      transportId: link.transport.id,
      srtp: link.transport.srtpParameters !== undefined,
      producers: link.piped,
      dataProducers: link.pipedData,
    }));
  }

  /** Closes every pipe and tells the other ends (waiting at most a second for them to hear it). */
  async close(): Promise<void> {
    for (const link of this.table.all()) link.close('shutdown');
    const notices = [...this.notices];
    if (!notices.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(notices), new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_NOTICE_MS)))]);
    clearTimeout(timer);
  }

  // ---- internals ------------------------------------------------------------------------------
  private async pipeInOnce<A extends PipeAnswer | PipeDataAnswer>(roomId: string, producerId: string, originNodeId: string, steps: PipeSteps<A>): Promise<void> {
    // A second round only when the origin's end turned out to be new (it restarted or its room reopened).
    for (let attempt = 0; attempt < 2; attempt++) {
      const room = this.requireRoom(roomId);
      if (steps.has(room, producerId)) return;
      const link = await this.linkQueue.run(`${roomId}\n${originNodeId}`, () => this.inboundLink(room, originNodeId));
      const { tuple, srtpParameters } = link.transport;
      const answer = await steps.ask(originNodeId, {
        roomId,
        producerId,
        nodeId: this.nodeId,
        transportId: link.transport.id,
        ip: tuple.localIp,
        port: tuple.localPort,
        ...(srtpParameters ? { srtpParameters } : {}),
      });
      if (link.closed) continue;
      if (link.peerTransportId === null) {
        link.peerTransportId = answer.transportId;
        link.connected = link.transport.connect({ ip: answer.ip, port: answer.port, srtpParameters: answer.srtpParameters }).catch((err: unknown) => {
          link.close('local'); // the origin hears it and drops its end too
          throw new ServerError('SFU_UNAVAILABLE', `cannot connect the pipe from node ${originNodeId}: ${err instanceof Error ? err.message : String(err)}`);
        });
      } else if (link.peerTransportId !== answer.transportId) {
        link.close('replaced');
        continue;
      }
      await link.connected;
      if (this.openRoom(roomId) !== room || link.closed) throw new ServerError('NOT_IN_ROOM', `room ${roomId} closed while piping ${producerId}`);
      if (steps.has(room, producerId)) return;
      await steps.install(room, link, answer, producerId, originNodeId);
      const late = this.deferred.get(`${roomId}\n${producerId}`);
      if (late) this.apply(link, producerId, late);
      this.logger.debug({ roomId, producerId, fromNode: originNodeId }, 'cascade producer piped in');
      return;
    }
    throw new ServerError('SFU_UNAVAILABLE', `node ${originNodeId} kept replacing its pipe for room ${roomId}; try again`);
  }

  private async inboundLink(room: Room, originNodeId: string): Promise<PipeLink> {
    const existing = this.table.get('in', room.id, originNodeId);
    if (existing && !existing.closed) return existing;
    const transport = await openPipeTransport(room.router, this.settings);
    const link = new PipeLink('in', room.id, originNodeId, transport, null);
    this.table.add(link);
    this.logger.info({ roomId: room.id, fromNode: originNodeId, transportId: transport.id }, 'cascade pipe from node opened');
    return link;
  }

  private apply(link: PipeLink, id: string, event: ProducerEvent): void {
    // HTTP requests may overtake each other: an event older than the state we hold is dropped.
    if (event.seq <= (link.seqs.get(id) ?? -1)) return;
    link.seqs.set(id, event.seq);
    const producer = link.producers.get(id);
    if (event.event === 'close') {
      producer?.close();
      link.dataProducers.get(id)?.close();
      return;
    }
    if (!producer) return; // data producers neither pause nor resume
    const change = event.event === 'pause' ? producer.pause() : producer.resume();
    change.catch((err: unknown) => this.logger.debug({ err, producerId: producer.id }, 'cascade pipe producer pause/resume failed'));
  }

  private onLinkClosed(link: PipeLink): void {
    this.logger.info({ roomId: link.roomId, node: link.nodeId, direction: link.direction, reason: link.closeReason }, 'cascade pipe closed');
    // Only our own reasons are news to the other node (its end closed, or it is gone, otherwise).
    if ((link.closeReason !== 'local' && link.closeReason !== 'shutdown') || !link.peerTransportId) return;
    const notice = this.client
      .pipeClosed(link.nodeId, { roomId: link.roomId, nodeId: this.nodeId, transportId: link.peerTransportId })
      .catch((err: unknown) => this.logger.debug({ err, toNode: link.nodeId }, 'cascade pipe-closed notice not delivered'))
      .finally(() => this.notices.delete(notice));
    this.notices.add(notice);
  }

  private requireRoom(roomId: string): Room {
    const room = this.openRoom(roomId);
    if (!room) throw new ServerError('NOT_IN_ROOM', `SFU room ${roomId} is not open on node ${this.nodeId}`);
    return room;
  }
}
