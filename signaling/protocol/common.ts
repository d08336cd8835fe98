// The wire protocol shared by server and browser: event names, payload schemas, ack shapes, error codes.
// Pure data: no DOM, no mediasoup, no logging, so both sides import it.
import { z } from 'zod';

export const MODES = ['mesh', 'sfu'] as const;
export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;

export const ROOM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const roomIdSchema = z
  .string()
  .regex(ROOM_ID_PATTERN, 'room id: 1-64 letters, digits, "-" or "_", starting with a letter or digit');
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'display name must not be empty')
  .max(40, 'display name: at most 40 characters');
export const peerIdSchema = z.string().min(1).max(64);

/** Every failure has one of these codes; clients branch on the code, people read the message. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNKNOWN_EVENT',
  'NOT_IN_ROOM',
  'ALREADY_IN_ROOM',
  'ROOM_FULL',
  'MODE_MISMATCH',
  'PEER_NOT_FOUND',
  'NOT_FOUND',
  'SFU_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export interface WireError {
  code: ErrorCode;
  message: string;
}
export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };
export type Ack<T> = (result: Result<T>) => void;

export const MAX_PAYLOAD_BYTES = 64 * 1024;

// ---- shared shapes -------------------------------------------------------------------------

export const mediaStateSchema = z.strictObject({ audio: z.boolean(), video: z.boolean() });
export type MediaState = z.infer<typeof mediaStateSchema>;

export interface PeerInfo {
  id: string;
  name: string;
  media: MediaState;
}

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface JoinReply {
  selfId: string;
  mode: Mode;
  peers: PeerInfo[];
  iceServers: IceServer[];
  /** Seconds until the TURN credentials in iceServers expire; refresh with ice:refresh before. */
  iceTtlSeconds: number;
  /** Present in SFU rooms: what the router can receive and send (mediasoup RtpCapabilities). */
  routerRtpCapabilities?: unknown;
}

// ---- client -> server payloads ----------------------------------------------------------------

export const joinSchema = z.strictObject({
  roomId: roomIdSchema,
  name: displayNameSchema,
  mode: modeSchema,
  media: mediaStateSchema.optional(),
});
export type JoinRequest = z.infer<typeof joinSchema>;

export const emptySchema = z.strictObject({});

const sdpSchema = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(60_000).optional(),
});
const iceCandidateSchema = z.strictObject({
  candidate: z.string().max(2_000),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1_000).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
/** Mesh negotiation messages relayed verbatim to one other peer of the same room. */
export const meshSignalSchema = z.union([
  z.strictObject({ to: peerIdSchema, description: sdpSchema }),
  z.strictObject({ to: peerIdSchema, candidate: iceCandidateSchema.nullable() }),
]);
export type MeshSignalRequest = z.infer<typeof meshSignalSchema>;
export type MeshSignal =
  | { from: string; description: z.infer<typeof sdpSchema> }
  | { from: string; candidate: z.infer<typeof iceCandidateSchema> | null };

// SFU requests. mediasoup's own objects are validated for shape here and for meaning by mediasoup.
const objectSchema = z.record(z.string(), z.unknown());
const idSchema = z.string().min(1).max(128);

export const sfuCreateTransportSchema = z.strictObject({ direction: z.enum(['send', 'recv']) });
export const sfuConnectTransportSchema = z.strictObject({ transportId: idSchema, dtlsParameters: objectSchema });
export const sfuProduceSchema = z.strictObject({
  transportId: idSchema,
  kind: z.enum(['audio', 'video']),
  rtpParameters: z
    .object({ codecs: z.array(objectSchema).min(1), encodings: z.array(objectSchema).optional() })
    .passthrough(),
  paused: z.boolean().optional(),
});
export const sfuConsumeSchema = z.strictObject({ producerId: idSchema, rtpCapabilities: objectSchema });
export const sfuConsumerIdSchema = z.strictObject({ consumerId: idSchema });
export const sfuProducerIdSchema = z.strictObject({ producerId: idSchema });

// SFU data channels (SCTP): one data producer per peer for the peer-to-peer ping, consumed by all.
export const sfuProduceDataSchema = z.strictObject({
  transportId: idSchema,
  sctpStreamParameters: objectSchema,
  label: z.string().max(64).optional(),
  protocol: z.string().max(64).optional(),
});
export const sfuConsumeDataSchema = z.strictObject({ dataProducerId: idSchema });

// Live stats: a compact summary of one participant's latest sample, shared with its room.
const rate = z.number().min(0).max(10_000_000).nullable();
export const statsShareSchema = z.strictObject({
  upKbps: rate,
  downKbps: rate,
  videoUpKbps: rate,
  /** Mean candidate-pair RTT (mesh: to the peers; SFU: to the server), ms. */
  rttMs: rate,
  /** Mean peer-to-peer ping over the call's own path, ms. */
  pingMs: rate,
  encoders: z.number().int().min(0).max(256),
  connections: z.number().int().min(0).max(256),
  limitReason: z.string().max(32).nullable(),
});
export type StatsShare = z.infer<typeof statsShareSchema>;
export interface PeerStatsShare extends StatsShare {
  from: string;
  /** Server time the summary was relayed, ms since the epoch. */
  at: number;
}
/** What mediasoup measures for each peer of the caller's SFU room (bits per second, bytes). */
export interface ServerPeerRates {
  peerId: string;
  /** What the SFU receives from the peer (its upload) and sends to it (its download). */
  recvBitrate: number;
  sendBitrate: number;
  bytesReceived: number;
  bytesSent: number;
}

export interface DataConsumerOptions {
  id: string;
  dataProducerId: string;
  peerId: string;
  sctpStreamParameters: unknown;
  label: string;
  protocol: string;
}
export interface DataProducerInfo {
  dataProducerId: string;
  peerId: string;
}

export interface TransportOptions {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  sctpParameters?: unknown;
}
export interface ConsumerOptions {
  id: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
}
export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
}

// ---- typed events -----------------------------------------------------------------------------

export interface ClientToServerEvents {
  join: (payload: JoinRequest, ack: Ack<JoinReply>) => void;
  leave: (payload: Record<string, never>, ack: Ack<null>) => void;
  'media:state': (payload: MediaState, ack: Ack<null>) => void;
  'mesh:signal': (payload: MeshSignalRequest, ack: Ack<null>) => void;
  /** Fresh TURN credentials for a long call. */
  'ice:refresh': (payload: Record<string, never>, ack: Ack<{ iceServers: IceServer[]; iceTtlSeconds: number }>) => void;
  'sfu:createTransport': (payload: z.infer<typeof sfuCreateTransportSchema>, ack: Ack<TransportOptions>) => void;
  'sfu:connectTransport': (payload: z.infer<typeof sfuConnectTransportSchema>, ack: Ack<null>) => void;
  'sfu:produce': (payload: z.infer<typeof sfuProduceSchema>, ack: Ack<{ producerId: string }>) => void;
  /** Producers already in the room when this peer joined; later ones arrive as sfu:newProducer. */
  'sfu:listProducers': (payload: Record<string, never>, ack: Ack<ProducerInfo[]>) => void;
  'sfu:consume': (payload: z.infer<typeof sfuConsumeSchema>, ack: Ack<ConsumerOptions>) => void;
  'sfu:resumeConsumer': (payload: z.infer<typeof sfuConsumerIdSchema>, ack: Ack<null>) => void;
  'sfu:pauseProducer': (payload: z.infer<typeof sfuProducerIdSchema>, ack: Ack<null>) => void;
  'sfu:resumeProducer': (payload: z.infer<typeof sfuProducerIdSchema>, ack: Ack<null>) => void;
  'sfu:produceData': (payload: z.infer<typeof sfuProduceDataSchema>, ack: Ack<{ dataProducerId: string }>) => void;
  /** Data producers already in the room; later ones arrive as sfu:newDataProducer. */
  'sfu:listDataProducers': (payload: Record<string, never>, ack: Ack<DataProducerInfo[]>) => void;
  'sfu:consumeData': (payload: z.infer<typeof sfuConsumeDataSchema>, ack: Ack<DataConsumerOptions>) => void;
  /** This participant's stats summary, relayed to the rest of the room as stats:peer. */
  'stats:share': (payload: StatsShare, ack: Ack<null>) => void;
  /** The SFU's own per-peer rates for the caller's room (empty list in mesh rooms). */
  'stats:server': (payload: Record<string, never>, ack: Ack<ServerPeerRates[]>) => void;
}

export interface ServerToClientEvents {
  /** The full roster after every change (join, leave, disconnect, media state). */
  'room:roster': (payload: { peers: PeerInfo[] }) => void;
  'mesh:signal': (payload: MeshSignal) => void;
  'sfu:newProducer': (payload: ProducerInfo) => void;
  'sfu:producerClosed': (payload: { producerId: string; peerId: string }) => void;
  'sfu:consumerClosed': (payload: { consumerId: string; producerId: string }) => void;
  /** The SFU lost this room's media state (worker died); clients rejoin to get a new one. */
  'sfu:reset': (payload: { reason: string }) => void;
  'sfu:newDataProducer': (payload: DataProducerInfo) => void;
  'stats:peer': (payload: PeerStatsShare) => void;
  /** Sent when a message without an ack callback was refused, so the error is never silent. */
  'protocol:error': (payload: WireError & { event: string }) => void;
}

export const CLIENT_EVENTS = [
  'join',
  'leave',
  'media:state',
  'mesh:signal',
  'ice:refresh',
  'sfu:createTransport',
  'sfu:connectTransport',
  'sfu:produce',
  'sfu:listProducers',
  'sfu:consume',
  'sfu:resumeConsumer',
  'sfu:pauseProducer',
  'sfu:resumeProducer',
  'sfu:produceData',
  'sfu:listDataProducers',
  'sfu:consumeData',
  'stats:share',
  'stats:server',
] as const satisfies readonly (keyof ClientToServerEvents)[];
