// The SFU family: transports, producers, consumers and data channels. mediasoup's own objects are
// validated here for shape only; mediasoup on the server checks their meaning.
import { z } from 'zod';

const objectSchema = z.record(z.string(), z.unknown());
const idSchema = z.string().min(1).max(128);
/** What a producer carries: the microphone, the camera, or a screen share (a second video per peer). */
export const mediaSourceSchema = z.enum(['mic', 'camera', 'screen']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

export const sfuCreateTransportSchema = z.strictObject({ direction: z.enum(['send', 'recv']) });
export const sfuConnectTransportSchema = z.strictObject({ transportId: idSchema, dtlsParameters: objectSchema });
/** New ICE credentials for one of the caller's transports (its connection failed or stalled). */
export const sfuRestartIceSchema = z.strictObject({ transportId: idSchema });
export const sfuProduceSchema = z.strictObject({
  transportId: idSchema,
  kind: z.enum(['audio', 'video']),
  rtpParameters: z
    .object({ codecs: z.array(objectSchema).min(1), encodings: z.array(objectSchema).optional() })
    .passthrough(),
  paused: z.boolean().optional(),
  /** Default: 'mic' for audio, 'camera' for video. A 'screen' must be video. */
  source: mediaSourceSchema.optional(),
}).refine((r) => r.source === undefined || (r.source === 'mic') === (r.kind === 'audio'), {
  message: "source must match kind: 'mic' for audio, 'camera' or 'screen' for video",
  path: ['source'],
});
export type SfuProduceRequest = z.infer<typeof sfuProduceSchema>;
export const sfuConsumeSchema = z.strictObject({ producerId: idSchema, rtpCapabilities: objectSchema });
export const sfuConsumerIdSchema = z.strictObject({ consumerId: idSchema });
export const sfuProducerIdSchema = z.strictObject({ producerId: idSchema });
/**
 * The simulcast layer a receiver wants of one of its video consumers (the smallest that fills its
 * tile). 0 is the lowest; the SFU refuses a layer the consumer's producer does not send.
 */
export const sfuSetPreferredLayersSchema = z.strictObject({ consumerId: idSchema, spatialLayer: z.number().int().min(0).max(15) });
/**
 * Pushed as sfu:producerLayers to a producer's owner (dynacast): the highest spatial layer anyone
 * consuming it needs now; the layers above it may stop encoding. Parsed by the browser before use.
 */
export const sfuProducerLayersSchema = z.strictObject({ producerId: idSchema, maxSpatialLayer: z.number().int().min(0).max(15) });
export type ProducerLayers = z.infer<typeof sfuProducerLayersSchema>;
/** Spatial layers of a simulcast consumer: mediasoup gives it one encoding whose scalabilityMode reads "L<spatial>T<temporal>". */
export function spatialLayersOf(scalabilityMode: string | undefined): number {
  return Number(/^[LS](\d+)/.exec(scalabilityMode ?? '')?.[1] ?? 1);
}
/** The source a producer carries when the request does not say (older clients). */
export const defaultSource = (kind: 'audio' | 'video'): MediaSource => (kind === 'audio' ? 'mic' : 'camera');

// SCTP data channels: one data producer per peer for the peer-to-peer ping, consumed by all.
export const sfuProduceDataSchema = z.strictObject({
  transportId: idSchema,
  sctpStreamParameters: objectSchema,
  label: z.string().max(64).optional(),
  protocol: z.string().max(64).optional(),
});
export type SfuProduceDataRequest = z.infer<typeof sfuProduceDataSchema>;
export const sfuConsumeDataSchema = z.strictObject({ dataProducerId: idSchema });

export interface TransportOptions {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  sctpParameters?: unknown;
}
export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
}
export interface ConsumerOptions {
  id: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  /** The producer's source, so the consumer knows a screen share from a camera. */
  source: MediaSource;
  rtpParameters: unknown;
}
export interface DataProducerInfo {
  dataProducerId: string;
  peerId: string;
}
export interface DataConsumerOptions {
  id: string;
  dataProducerId: string;
  peerId: string;
  sctpStreamParameters: unknown;
  label: string;
  protocol: string;
}

/**
 * Pushed as sfu:activeSpeaker: the room's loudest producer by mediasoup's AudioLevelObserver, or
 * nobody (both null) once the room went quiet. `volume` is the average level over the observer's
 * interval in dBov (-127 silence .. 0 loudest). Parsed by the browser before use, like a request.
 */
export const sfuActiveSpeakerSchema = z.strictObject({
  peerId: idSchema.nullable(),
  volume: z.number().min(-127).max(0).nullable(),
});
export type ActiveSpeakerInfo = z.infer<typeof sfuActiveSpeakerSchema>;
