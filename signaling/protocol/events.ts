// The typed events. Client requests come from one { event: schema } map: the event types, the
// gate's known-event list and each handler's payload type are derived from it, and ClientReplies
// must name exactly the same events, so none of them can drift from the others.
import type { z } from 'zod';
import type { TopologyPush } from './auto';
import { e2eeKeySchema, type E2eeKeyMessage } from './e2ee';
import { emptySchema, mediaStateSchema, type Ack, type PeerInfo, type WireError } from './common';
import { hostLockSchema, hostRemoveSchema } from './host';
import { meshSignalSchema, type MeshSignal } from './mesh';
import { joinSchema, resumeSchema, type IceRefreshReply, type JoinReply } from './room';
import {
  sfuConnectTransportSchema,
  sfuRestartIceSchema,
  sfuConsumeDataSchema,
  sfuConsumerIdSchema,
  sfuConsumeSchema,
  sfuCreateTransportSchema,
  sfuProduceDataSchema,
  sfuProducerIdSchema,
  sfuProduceSchema,
  sfuSetPreferredLayersSchema,
  type ConsumerOptions,
  type DataConsumerOptions,
  type DataProducerInfo,
  type ProducerInfo,
  type TransportOptions,
  type ActiveSpeakerInfo,
  type ProducerLayers,
} from './sfu';
import { statsShareSchema, type PeerStatsShare, type ServerPeerRates } from './stats';

/** Every client → server event and the schema its payload must pass. */
export const CLIENT_EVENT_SCHEMAS = {
  join: joinSchema,
  /** After a reconnect: the same seat and peer id, a fresh roster. */
  resume: resumeSchema,
  leave: emptySchema,
  'media:state': mediaStateSchema,
  'mesh:signal': meshSignalSchema,
  /** Fresh TURN credentials for a long call. */
  'ice:refresh': emptySchema,
  'sfu:createTransport': sfuCreateTransportSchema,
  'sfu:connectTransport': sfuConnectTransportSchema,
  'sfu:restartIce': sfuRestartIceSchema,
  'sfu:produce': sfuProduceSchema,
  'sfu:listProducers': emptySchema,
  'sfu:consume': sfuConsumeSchema,
  'sfu:resumeConsumer': sfuConsumerIdSchema,
  /** The simulcast layer one of the caller's video consumers should carry (its tile's size). */
  'sfu:setPreferredLayers': sfuSetPreferredLayersSchema,
  'sfu:pauseProducer': sfuProducerIdSchema,
  'sfu:resumeProducer': sfuProducerIdSchema,
  /** Closes one of the caller's own producers (a screen share that stopped); the room gets sfu:producerClosed. */
  'sfu:closeProducer': sfuProducerIdSchema,
  'sfu:produceData': sfuProduceDataSchema,
  'sfu:listDataProducers': emptySchema,
  'sfu:consumeData': sfuConsumeDataSchema,
  /** Auto rooms back on mesh: this participant's switch is done, so its SFU media can go. */
  'sfu:release': emptySchema,
  /** E2EE rooms: our public key (and wrapped media key) for one other participant. */
  'e2ee:key': e2eeKeySchema,
  'stats:share': statsShareSchema,
  'stats:server': emptySchema,
  /** Host only (FORBIDDEN otherwise). */
  'host:remove': hostRemoveSchema,
  'host:lock': hostLockSchema,
} as const;

export type ClientEvent = keyof typeof CLIENT_EVENT_SCHEMAS;
export const CLIENT_EVENTS = Object.keys(CLIENT_EVENT_SCHEMAS) as ClientEvent[];

/** What a client sends with the event (before parsing). */
type ClientPayload<E extends ClientEvent> = z.input<(typeof CLIENT_EVENT_SCHEMAS)[E]>;
/** What the server's handler gets once the schema accepted the payload. */
export type ClientRequest<E extends ClientEvent> = z.output<(typeof CLIENT_EVENT_SCHEMAS)[E]>;

/** What each request's ack carries on success. */
export interface ClientReplies {
  join: JoinReply;
  resume: JoinReply;
  leave: null;
  'media:state': null;
  'mesh:signal': null;
  'ice:refresh': IceRefreshReply;
  'sfu:createTransport': TransportOptions;
  'sfu:connectTransport': null;
  /** The transport's new ICE parameters (mediasoup is ICE-lite: the browser restarts with them). */
  'sfu:restartIce': { iceParameters: unknown };
  'sfu:produce': { producerId: string };
  /** Producers already in the room when this peer asked; later ones arrive as sfu:newProducer. */
  'sfu:listProducers': ProducerInfo[];
  'sfu:consume': ConsumerOptions;
  'sfu:resumeConsumer': null;
  'sfu:setPreferredLayers': null;
  'sfu:pauseProducer': null;
  'sfu:resumeProducer': null;
  'sfu:closeProducer': null;
  'sfu:produceData': { dataProducerId: string };
  /** Data producers already in the room; later ones arrive as sfu:newDataProducer. */
  'sfu:listDataProducers': DataProducerInfo[];
  'sfu:consumeData': DataConsumerOptions;
  'sfu:release': null;
  /** The summary was relayed to the rest of the room as stats:peer. */
  'e2ee:key': null;
  'stats:share': null;
  /** The SFU's own per-peer rates for the caller's room (empty list in mesh rooms). */
  'stats:server': ServerPeerRates[];
  'host:remove': null;
  /** The room's lock state now (everyone in the room also gets room:lock). */
  'host:lock': { locked: boolean };
}

/** Compiles only when R has a key for every client event and no other key. */
type SameEvents<R extends { [E in ClientEvent]: unknown } & { [K in Exclude<keyof R, ClientEvent>]: never }> = R;
type Replies = SameEvents<ClientReplies>;

export type ClientToServerEvents = {
  [E in ClientEvent]: (payload: ClientPayload<E>, ack: Ack<Replies[E]>) => void;
};

export interface ServerToClientEvents {
  /** The full roster after every change (join, leave, disconnect, media state). */
  'room:roster': (payload: { peers: PeerInfo[] }) => void;
  /** The host locked or unlocked the room. */
  'room:lock': (payload: { locked: boolean }) => void;
  /** To a participant the host removed: its call is over (code REMOVED); it must not rejoin by itself. */
  'room:removed': (payload: WireError) => void;
  /** Auto rooms: the room moves to this topology (make the new path, then break the old one). */
  'room:topology': (payload: TopologyPush) => void;
  'mesh:signal': (payload: MeshSignal) => void;
  'sfu:newProducer': (payload: ProducerInfo) => void;
  'sfu:producerClosed': (payload: { producerId: string; peerId: string }) => void;
  'sfu:consumerClosed': (payload: { consumerId: string; producerId: string }) => void;
  /** The SFU lost this room's media state (worker died); clients rejoin to get a new one. */
  'sfu:reset': (payload: { reason: string }) => void;
  'sfu:newDataProducer': (payload: DataProducerInfo) => void;
  /** The room's active speaker by the SFU's audio level observer (sfuActiveSpeakerSchema), throttled. */
  'sfu:activeSpeaker': (payload: ActiveSpeakerInfo) => void;
  /** To a producer's owner: the highest simulcast layer its consumers need (sfuProducerLayersSchema). */
  'sfu:producerLayers': (payload: ProducerLayers) => void;
  'stats:peer': (payload: PeerStatsShare) => void;
  /** E2EE rooms: another participant's public key and, once it knows ours, its wrapped media key. */
  'e2ee:key': (payload: E2eeKeyMessage) => void;
  /** Sent when a message without an ack callback was refused, so the error is never silent. */
  'protocol:error': (payload: WireError & { event: string }) => void;
}

/** Every server push by name; the type makes the list whole (a browser moving to another node moves each one's listeners). */
const SERVER_EVENT_NAMES: { [E in keyof ServerToClientEvents]: true } = {
  'room:roster': true,
  'room:lock': true,
  'room:removed': true,
  'room:topology': true,
  'mesh:signal': true,
  'sfu:newProducer': true,
  'sfu:producerClosed': true,
  'sfu:consumerClosed': true,
  'sfu:reset': true,
  'sfu:newDataProducer': true,
  'sfu:activeSpeaker': true,
  'sfu:producerLayers': true,
  'stats:peer': true,
  'e2ee:key': true,
  'protocol:error': true,
};
export const SERVER_EVENTS = Object.keys(SERVER_EVENT_NAMES) as (keyof ServerToClientEvents)[];
