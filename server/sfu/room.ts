// One room on the SFU: its router (on one worker) and the peers registered in it.
import type { types } from 'mediasoup';
import type { DataProducerInfo, ProducerInfo } from '../../signaling/protocol';
import { ServerError } from '../../signaling/errors';
import { sourceOf } from './media';
import type { Peer } from './peer';

export class Room {
  readonly peers = new Map<string, Peer>();
  /** Producers piped in from another node (server/cluster), consumed here like any peer's. */
  readonly pipeProducers = new Map<string, { producer: types.Producer; peerId: string }>();
  /** Data producers (ping channels) piped in from another node, consumed here like any peer's. */
  readonly pipeDataProducers = new Map<string, { dataProducer: types.DataProducer; peerId: string }>();

  constructor(
    readonly id: string,
    readonly worker: types.Worker,
    readonly router: types.Router,
  ) {}

  get rtpCapabilities(): types.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  /** Finds a producer of any peer in this room, or one piped in from another node. */
  producer(producerId: string): { producer: types.Producer; peerId: string } {
    const found = this.ownProducer(producerId) ?? this.pipeProducers.get(producerId);
    if (found) return found;
    throw new ServerError('NOT_FOUND', `producer ${producerId} not found in room ${this.id}`);
  }

  /** A producer of one of this room's own peers (never a piped-in copy), or null. */
  ownProducer(producerId: string): { producer: types.Producer; peerId: string } | null {
    for (const peer of this.peers.values()) {
      const producer = peer.producers.get(producerId);
      if (producer) return { producer, peerId: peer.id };
    }
    return null;
  }

  /** Registers a copy of another node's producer (same id); it leaves the room when it closes. */
  addPipeProducer(producer: types.Producer, peerId: string): void {
    this.pipeProducers.set(producer.id, { producer, peerId });
    producer.observer.once('close', () => {
      if (this.pipeProducers.get(producer.id)?.producer === producer) this.pipeProducers.delete(producer.id);
    });
  }

  /** Finds a data producer of any peer in this room, or one piped in from another node. */
  dataProducer(dataProducerId: string): { dataProducer: types.DataProducer; peerId: string } {
    const found = this.ownDataProducer(dataProducerId) ?? this.pipeDataProducers.get(dataProducerId);
    if (found) return found;
    throw new ServerError('NOT_FOUND', `data producer ${dataProducerId} not found in room ${this.id}`);
  }

  /** A data producer of one of this room's own peers (never a piped-in copy), or null. */
  ownDataProducer(dataProducerId: string): { dataProducer: types.DataProducer; peerId: string } | null {
    for (const peer of this.peers.values()) {
      const dataProducer = peer.dataProducers.get(dataProducerId);
      if (dataProducer) return { dataProducer, peerId: peer.id };
    }
    return null;
  }

  /** Registers a copy of another node's data producer (same id); it leaves the room when it closes. */
  addPipeDataProducer(dataProducer: types.DataProducer, peerId: string): void {
    this.pipeDataProducers.set(dataProducer.id, { dataProducer, peerId });
    dataProducer.observer.once('close', () => {
      if (this.pipeDataProducers.get(dataProducer.id)?.dataProducer === dataProducer) this.pipeDataProducers.delete(dataProducer.id);
    });
  }

  dataProducersExcept(peerId: string): DataProducerInfo[] {
    const list: DataProducerInfo[] = [];
    for (const peer of this.peers.values()) {
      if (peer.id === peerId) continue;
      for (const id of peer.dataProducers.keys()) list.push({ dataProducerId: id, peerId: peer.id });
    }
    return list;
  }

  /** Producers of everyone except `peerId`. */
  producersExcept(peerId: string): ProducerInfo[] {
    const list: ProducerInfo[] = [];
    for (const peer of this.peers.values()) {
      if (peer.id === peerId) continue;
      for (const producer of peer.producers.values()) {
        list.push({ producerId: producer.id, peerId: peer.id, kind: producer.kind, source: sourceOf(producer) });
      }
    }
    return list;
  }

  close(): void {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.pipeProducers.clear();
    this.pipeDataProducers.clear();
    this.router.close();
  }
}
