// The SFU as the signaling layer sees it: plain arguments in, plain data out, no Socket.IO inside.
import type { EventEmitter } from 'node:events';
import type {
  ConsumerOptions,
  DataConsumerOptions,
  DataProducerInfo,
  ProducerInfo,
  TransportOptions,
} from '../../signaling/protocol';

export interface SfuEvents {
  /** A producer appeared in a room; everyone else in the room should consume it. */
  newProducer: [roomId: string, info: ProducerInfo];
  producerClosed: [roomId: string, info: { producerId: string; peerId: string }];
  /** A data producer (the peer's ping channel) appeared; everyone else should consume it. */
  newDataProducer: [roomId: string, info: DataProducerInfo];
  /** Tell only the consuming peer. */
  consumerClosed: [peerId: string, info: { consumerId: string; producerId: string }];
  /** A room lost its media state (its worker died); its peers must rejoin. */
  roomReset: [roomId: string, peerIds: string[], reason: string];
}

export interface TransportRates {
  transportId: string;
  direction: 'send' | 'recv';
  /** Bits per second mediasoup measured on this transport, from the browser's point of view inverted: */
  /** recvBitrate = what the SFU receives from the peer, sendBitrate = what it sends to the peer. */
  recvBitrate: number;
  sendBitrate: number;
  bytesReceived: number;
  bytesSent: number;
}

export interface PeerRates {
  peerId: string;
  transports: TransportRates[];
}

export interface RoomRates {
  roomId: string;
  peers: PeerRates[];
}

export interface SfuCounts {
  rooms: number;
  peers: number;
  producers: number;
  consumers: number;
  workers: number;
}

export interface SfuService extends EventEmitter<SfuEvents> {
  /** Null when the SFU works; otherwise why it does not (shown by /readyz and the lobby). */
  unavailableReason(): string | null;
  /** Creates the room's router on first use and registers the peer in it. */
  addPeer(roomId: string, peerId: string): Promise<{ routerRtpCapabilities: unknown }>;
  createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions>;
  connectTransport(peerId: string, transportId: string, dtlsParameters: unknown): Promise<void>;
  produce(
    peerId: string,
    request: { transportId: string; kind: 'audio' | 'video'; rtpParameters: unknown; paused?: boolean },
  ): Promise<{ producerId: string }>;
  /** Producers of the other peers in this peer's room. */
  listProducers(peerId: string): ProducerInfo[];
  consume(peerId: string, producerId: string, rtpCapabilities: unknown): Promise<ConsumerOptions>;
  resumeConsumer(peerId: string, consumerId: string): Promise<void>;
  pauseProducer(peerId: string, producerId: string): Promise<void>;
  resumeProducer(peerId: string, producerId: string): Promise<void>;
  produceData(
    peerId: string,
    request: { transportId: string; sctpStreamParameters: unknown; label?: string; protocol?: string },
  ): Promise<{ dataProducerId: string }>;
  /** Data producers of the other peers in this peer's room. */
  listDataProducers(peerId: string): DataProducerInfo[];
  consumeData(peerId: string, dataProducerId: string): Promise<DataConsumerOptions>;
  /** Closes the peer's transports, producers and consumers, and others' consumers of them. */
  closePeer(peerId: string): void;
  /** Live object counts, for metrics. */
  counts(): SfuCounts;
  /** Server-side transport bitrates per room and peer. */
  rates(): Promise<RoomRates[]>;
  close(): Promise<void>;
}
