// The cascade's internal wire between nodes: paths and zod schemas of what one node POSTs to another
// (pipe a producer or data producer, a producer's close/pause/resume, a pipe transport closed) and the answers.
import { z } from 'zod';

export const CASCADE_PATHS = {
  pipe: '/internal/cascade/pipe',
  /** Same request as pipe (producerId names a data producer); answers a PipeDataAnswer. */
  pipeData: '/internal/cascade/pipe-data',
  producerEvent: '/internal/cascade/producer-event',
  pipeClosed: '/internal/cascade/pipe-closed',
} as const;

const idSchema = z.string().min(1).max(128);
const ipSchema = z.union([z.ipv4(), z.ipv6()]);
const portSchema = z.number().int().min(1).max(65535);
export const srtpParametersSchema = z.strictObject({
  cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
  keyBase64: z.string().min(1).max(128),
});
/** Per origin node, increasing: a destination ignores an event older than what it already applied. */
const seqSchema = z.number().int().nonnegative();

/** Destination → origin: "send producerId of roomId to my pipe transport at ip:port". */
export const pipeRequestSchema = z.strictObject({
  roomId: idSchema,
  producerId: idSchema,
  /** The asking (destination) node. */
  nodeId: idSchema,
  /** The destination's pipe transport for this room and origin: the origin keeps one pair per room per node. */
  transportId: idSchema,
  ip: ipSchema,
  port: portSchema,
  /** Present when the destination encrypts the pipe; the origin then does too. */
  srtpParameters: srtpParametersSchema.optional(),
});
export type PipeRequest = z.infer<typeof pipeRequestSchema>;

/** Origin → destination, the answer to a pipe request: its side of the pair and the pipe consumer. */
export const pipeAnswerSchema = z.strictObject({
  transportId: idSchema,
  ip: ipSchema,
  port: portSchema,
  srtpParameters: srtpParametersSchema.optional(),
  peerId: idSchema,
  kind: z.enum(['audio', 'video']),
  source: z.enum(['mic', 'camera', 'screen']),
  rtpParameters: z.object({ codecs: z.array(z.record(z.string(), z.unknown())).min(1) }).passthrough(),
  paused: z.boolean(),
  seq: seqSchema,
});
export type PipeAnswer = z.infer<typeof pipeAnswerSchema>;

/** Origin → destination, the answer to a pipe-data request: its side of the pair and the pipe data consumer. */
export const pipeDataAnswerSchema = z.strictObject({
  transportId: idSchema,
  ip: ipSchema,
  port: portSchema,
  srtpParameters: srtpParametersSchema.optional(),
  peerId: idSchema,
  /** The origin's SCTP stream on the pair: the destination's copy must produce on the same stream id. */
  sctpStreamParameters: z.object({
    streamId: z.number().int().min(0).max(65534),
    ordered: z.boolean().optional(),
    maxPacketLifeTime: z.number().int().nonnegative().optional(),
    maxRetransmits: z.number().int().nonnegative().optional(),
  }),
  label: z.string().max(1024),
  protocol: z.string().max(1024),
  seq: seqSchema,
});
export type PipeDataAnswer = z.infer<typeof pipeDataAnswerSchema>;

/** Origin → destination: the piped producer closed, paused or resumed on its own node (data producers: close only). */
export const producerEventSchema = z.strictObject({
  roomId: idSchema,
  /** The origin node sending it. */
  nodeId: idSchema,
  producerId: idSchema,
  event: z.enum(['close', 'pause', 'resume']),
  seq: seqSchema,
});
export type ProducerEvent = z.infer<typeof producerEventSchema>;

/** Either side → the other: "my end of our pair closed; close yours" (transportId is the receiver's). */
export const pipeClosedSchema = z.strictObject({
  roomId: idSchema,
  nodeId: idSchema,
  transportId: idSchema,
});
export type PipeClosed = z.infer<typeof pipeClosedSchema>;

/** An internal request the receiving node refused, with the HTTP status it answered. */
export class CascadeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CascadeError';
  }
}
