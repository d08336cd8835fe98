// The SFU as the signaling handlers consume it: plain arguments in, plain data out, typed events.
// Signaling owns this interface; server/sfu implements it, so media code never leaks upward.
import type {
  ActiveSpeakerInfo,
  ConsumerOptions,
  DataConsumerOptions,
  DataProducerInfo,
  ProducerInfo,
  ProducerLayers,
  ServerPeerRates,
  SfuProduceDataRequest,
  SfuProduceRequest,
  TransportOptions,
} from './protocol';

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
  /** The room's loudest speaker changed, is still speaking (at most once a second), or the room went quiet. */
  activeSpeaker: [roomId: string, info: ActiveSpeakerInfo];
  /** Tell only the producer's owner: the highest simulcast layer its consumers need now (dynacast). */
  producerLayers: [peerId: string, info: ProducerLayers];
}

export interface SfuService {
  on<K extends keyof SfuEvents>(event: K, listener: (...args: SfuEvents[K]) => void): unknown;
  /** Null when the SFU works; otherwise why it does not (shown by /readyz and the lobby). */
  unavailableReason(): string | null;
  /** Creates the room's router on first use and registers the peer in it. */
  addPeer(roomId: string, peerId: string): Promise<{ routerRtpCapabilities: unknown }>;
  createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions>;
  connectTransport(peerId: string, transportId: string, dtlsParameters: unknown): Promise<void>;
  /** New ICE username fragment and password for one of the peer's transports (an ICE restart). */
  restartIce(peerId: string, transportId: string): Promise<{ iceParameters: unknown }>;
  produce(peerId: string, request: SfuProduceRequest): Promise<{ producerId: string }>;
  /** Producers of the other peers in this peer's room (on every node, when the room spans several). */
  listProducers(peerId: string): ProducerInfo[] | Promise<ProducerInfo[]>;
  consume(peerId: string, producerId: string, rtpCapabilities: unknown): Promise<ConsumerOptions>;
  resumeConsumer(peerId: string, consumerId: string): Promise<void>;
  /** The simulcast layer one of the peer's consumers carries (NOT_FOUND for anyone else's; BAD_REQUEST for a layer it lacks). */
  setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number): Promise<void>;
  pauseProducer(peerId: string, producerId: string): Promise<void>;
  resumeProducer(peerId: string, producerId: string): Promise<void>;
  /** Closes one of the peer's own producers (NOT_FOUND for anyone else's); the room hears producerClosed. */
  closeProducer(peerId: string, producerId: string): void;
  produceData(peerId: string, request: SfuProduceDataRequest): Promise<{ dataProducerId: string }>;
  /** Data producers of the other peers in this peer's room. */
  listDataProducers(peerId: string): DataProducerInfo[] | Promise<DataProducerInfo[]>;
  consumeData(peerId: string, dataProducerId: string): Promise<DataConsumerOptions>;
  /** Closes the peer's transports, producers and consumers, and others' consumers of them. */
  closePeer(peerId: string): void;
  /** Like closePeer, but the peer keeps its (empty) seat in the room: it may set up new media. */
  releaseMedia(peerId: string): void;
  /**
   * What the SFU measures for each peer of one room (empty for an unknown room). Callers within
   * the implementation's sharing interval get the same answer, so every participant may ask.
   */
  roomRates(roomId: string): Promise<ServerPeerRates[]>;
}

/** Why SFU mode cannot be used right now (null = it can); `sfu` is null when configured off. */
export function sfuUnavailableReason(sfu: SfuService | null): string | null {
  return sfu ? sfu.unavailableReason() : 'SFU mode is disabled on this server (SFU_ENABLED=0)';
}
