// The origin side of the cascade: one pipe transport per room per asking node, each of our producers and data
// producers consumed on it once, and that node told when one closes (producers: also pauses or resumes).
import type { Logger } from 'pino';
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';
import { KeyedQueue } from '../../signaling/keyed-queue';
import { sourceOf } from '../sfu/media';
import type { Room } from '../sfu/room';
import type { CascadeClient } from './cascade-client';
import type { PipeAnswer, PipeDataAnswer, PipeRequest, ProducerEvent } from './cascade-protocol';
import { openPipeTransport, PipeLink, type LinkTable, type PipeTransportSettings } from './pipe-link';

export interface CascadeOriginOptions {
  nodeId: string;
  openRoom: (roomId: string) => Room | null;
  table: LinkTable;
  client: CascadeClient;
  transport: PipeTransportSettings;
  nextSeq: () => number;
  logger: Logger;
}

export class CascadeOrigin {
  /** One pipe request at a time per room and asking node: they share (and may replace) one link. */
  private readonly queue = new KeyedQueue();

  constructor(private readonly options: CascadeOriginOptions) {}

  async handlePipe(request: PipeRequest): Promise<PipeAnswer> {
    const { roomId, producerId, nodeId } = request;
    this.check(request);
    // Checked before anything is created, so a request for nothing leaves nothing behind.
    this.ownProducer(roomId, producerId);
    return this.queue.run(`${roomId}\n${nodeId}`, async () => {
      const own = this.ownProducer(roomId, producerId);
      const link = await this.link(own.room, request);
      let consumer = link.consumers.get(producerId);
      if (!consumer || consumer.closed) consumer = await this.consume(link, producerId);
      // Read before answering: events from here on carry a higher number.
      const seq = this.options.nextSeq();
      if (consumer.closed) throw new ServerError('NOT_FOUND', `producer ${producerId} closed while being piped`);
      return {
        ...endOf(link),
        peerId: own.peerId,
        kind: consumer.kind,
        source: sourceOf(own.producer),
        rtpParameters: consumer.rtpParameters as unknown as PipeAnswer['rtpParameters'],
        paused: consumer.producerPaused,
        seq,
      };
    });
  }

  /** Like handlePipe, for a data producer (request.producerId names it): the pair is the same. */
  async handlePipeData(request: PipeRequest): Promise<PipeDataAnswer> {
    const { roomId, producerId: dataProducerId, nodeId } = request;
    this.check(request);
    this.ownDataProducer(roomId, dataProducerId);
    return this.queue.run(`${roomId}\n${nodeId}`, async () => {
      const own = this.ownDataProducer(roomId, dataProducerId);
      const link = await this.link(own.room, request);
      let consumer = link.dataConsumers.get(dataProducerId);
      if (!consumer || consumer.closed) consumer = await this.consumeData(link, dataProducerId);
      const seq = this.options.nextSeq();
      if (consumer.closed) throw new ServerError('NOT_FOUND', `data producer ${dataProducerId} closed while being piped`);
      const { sctpStreamParameters, label, protocol } = consumer;
      if (!sctpStreamParameters) throw new Error(`pipe data consumer of ${dataProducerId} has no SCTP stream`);
      return { ...endOf(link), peerId: own.peerId, sctpStreamParameters, label, protocol, seq };
    });
  }

  private check(request: PipeRequest): void {
    if (request.nodeId === this.options.nodeId) throw new ServerError('BAD_REQUEST', `node ${request.nodeId} cannot pipe from itself`);
    if (this.options.transport.enableSrtp && !request.srtpParameters) {
      throw new ServerError('BAD_REQUEST', `node ${this.options.nodeId} pipes only with SRTP; send srtpParameters`);
    }
  }

  /** A data producer of one of our own peers (never a piped-in copy). */
  private ownDataProducer(roomId: string, dataProducerId: string): { room: Room; peerId: string } {
    const room = this.options.openRoom(roomId);
    const own = room?.ownDataProducer(dataProducerId);
    if (!room || !own || own.dataProducer.closed) {
      throw new ServerError('NOT_FOUND', `data producer ${dataProducerId} of room ${roomId} is not on node ${this.options.nodeId}`);
    }
    return { room, peerId: own.peerId };
  }

  /** A producer of one of our own peers: a copy piped in from a third node is never piped on. */
  private ownProducer(roomId: string, producerId: string): { room: Room; producer: types.Producer; peerId: string } {
    const room = this.options.openRoom(roomId);
    const own = room?.ownProducer(producerId);
    if (!room || !own || own.producer.closed) {
      throw new ServerError('NOT_FOUND', `producer ${producerId} of room ${roomId} is not on node ${this.options.nodeId}`);
    }
    return { room, ...own };
  }

  /** Our end of the pair for this room and node; a new one when that node's end changed. */
  private async link(room: Room, request: PipeRequest): Promise<PipeLink> {
    const existing = this.options.table.get('out', room.id, request.nodeId);
    if (existing && !existing.closed && existing.peerTransportId === request.transportId) return existing;
    const transport = await openPipeTransport(room.router, { ...this.options.transport, enableSrtp: Boolean(request.srtpParameters) });
    try {
      await transport.connect({ ip: request.ip, port: request.port, srtpParameters: request.srtpParameters });
    } catch (err) {
      transport.close();
      throw new ServerError('BAD_REQUEST', `cannot connect a pipe to ${request.ip}:${request.port}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const link = new PipeLink('out', room.id, request.nodeId, transport, request.transportId);
    // Replaces (and closes) the link to that node's former end, whose pipes died with it.
    this.options.table.add(link);
    this.options.logger.info({ roomId: room.id, toNode: request.nodeId, transportId: transport.id }, 'cascade pipe to node opened');
    return link;
  }

  private async consume(link: PipeLink, producerId: string): Promise<types.Consumer> {
    const consumer = await link.transport.consume({ producerId });
    link.consumers.set(producerId, consumer);
    consumer.observer.once('close', () => {
      if (link.consumers.get(producerId) === consumer) link.consumers.delete(producerId);
    });
    // transportclose needs no message: the link's own close tells the other node (see Cascade).
    consumer.on('producerclose', () => this.notify(link, producerId, 'close'));
    consumer.on('producerpause', () => this.notify(link, producerId, 'pause'));
    consumer.on('producerresume', () => this.notify(link, producerId, 'resume'));
    return consumer;
  }

  private async consumeData(link: PipeLink, dataProducerId: string): Promise<types.DataConsumer> {
    const consumer = await link.transport.consumeData({ dataProducerId });
    link.dataConsumers.set(dataProducerId, consumer);
    consumer.observer.once('close', () => {
      if (link.dataConsumers.get(dataProducerId) === consumer) link.dataConsumers.delete(dataProducerId);
    });
    // Data producers neither pause nor resume (mediasoup 3.12): closing is the only news.
    consumer.on('dataproducerclose', () => this.notify(link, dataProducerId, 'close'));
    return consumer;
  }

  private notify(link: PipeLink, producerId: string, event: ProducerEvent['event']): void {
    const message: ProducerEvent = { roomId: link.roomId, nodeId: this.options.nodeId, producerId, event, seq: this.options.nextSeq() };
    this.options.client.producerEvent(link.nodeId, message).catch((err: unknown) => {
      this.options.logger.warn({ err, toNode: link.nodeId, roomId: link.roomId, producerId, event }, 'cascade producer event not delivered');
    });
  }
}

/** Our side of the pair, as both answers carry it. */
function endOf(link: PipeLink): { transportId: string; ip: string; port: number; srtpParameters?: PipeAnswer['srtpParameters'] } {
  const { tuple, srtpParameters } = link.transport;
  return { transportId: link.transport.id, ip: tuple.localIp, port: tuple.localPort, ...(srtpParameters ? { srtpParameters } : {}) };
}
