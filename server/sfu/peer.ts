// One participant's media objects on the SFU: its transports, producers and consumers, looked up
// by id with errors that name what was not found.
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';

export type Direction = 'send' | 'recv';

export interface PeerTransport {
  transport: types.WebRtcTransport;
  direction: Direction;
}

export class Peer {
  readonly transports = new Map<string, PeerTransport>();
  readonly producers = new Map<string, types.Producer>();
  /** Consumer id → consumer, for media this peer receives. */
  readonly consumers = new Map<string, types.Consumer>();
  /** SCTP data producers (the ping channel) and the data consumers of others' ones. */
  readonly dataProducers = new Map<string, types.DataProducer>();
  readonly dataConsumers = new Map<string, types.DataConsumer>();

  constructor(
    readonly id: string,
    readonly roomId: string,
  ) {}

  transport(transportId: string): PeerTransport {
    const entry = this.transports.get(transportId);
    if (!entry) throw new ServerError('NOT_FOUND', `transport ${transportId} not found for peer ${this.id}`);
    return entry;
  }

  /** The newest receive transport: a browser holds one, and a new one replaces an abandoned one. */
  recvTransport(): types.WebRtcTransport {
    let found: types.WebRtcTransport | null = null;
    for (const entry of this.transports.values()) if (entry.direction === 'recv') found = entry.transport;
    if (!found) throw new ServerError('NOT_FOUND', `recv transport not found for peer ${this.id}; create one first`);
    return found;
  }

  producer(producerId: string): types.Producer {
    const producer = this.producers.get(producerId);
    if (!producer) throw new ServerError('NOT_FOUND', `producer ${producerId} not found for peer ${this.id}`);
    return producer;
  }

  consumer(consumerId: string): types.Consumer {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new ServerError('NOT_FOUND', `consumer ${consumerId} not found for peer ${this.id}`);
    return consumer;
  }

  /** Closing the transports closes their producers and consumers inside mediasoup. */
  close(): void {
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.dataProducers.clear();
    this.dataConsumers.clear();
  }
}
