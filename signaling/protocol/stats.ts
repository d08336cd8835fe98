// The stats family: a participant's summary shared with its room, and the SFU's own per-peer rates.
import { z } from 'zod';

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
  /** The candidate types carrying our media, e.g. "srflx" or "relay/tcp, host" (what NAT traversal found). */
  path: z.string().max(64).nullable().optional(),
  /**
   * Payload received from each peer over our last sample (kbps, by peer id): the far end of each
   * mesh link for the senders' cost model.
   */
  fromKbps: z
    .record(z.string().max(64), z.number().min(0).max(10_000_000))
    .refine((r) => Object.keys(r).length <= 64, 'at most 64 peers')
    .optional(),
});
export type StatsShare = z.infer<typeof statsShareSchema>;

export interface PeerStatsShare extends StatsShare {
  from: string;
  /** Server time the summary was relayed, ms since the epoch. */
  at: number;
}

const count = z.number().min(0).max(Number.MAX_SAFE_INTEGER);
const bitrate = z.number().min(0).max(10_000_000_000);
const mediaKind = z.enum(['audio', 'video']);

/** One RTP stream mediasoup receives from a producer (one simulcast layer): whole RTP packets. */
export const serverRtpStreamSchema = z.strictObject({
  /** The simulcast layer's rid (null for a single encoding). */
  rid: z.string().max(32).nullable(),
  /** Cumulative RTP bytes (header + payload, as the SFU receives them) and packets. */
  byteCount: count,
  packetCount: count,
});

export const serverProducerSchema = z.strictObject({
  id: z.string().max(64),
  kind: mediaKind,
  /** mic | camera | screen */
  source: z.string().max(16),
  streams: z.array(serverRtpStreamSchema).max(8),
});

/** What the SFU forwards to this peer from one producer of another: one layer, whole RTP packets. */
export const serverConsumerSchema = z.strictObject({
  id: z.string().max(64),
  producerId: z.string().max(64),
  /** Whose media it carries (null when the producer is gone or on another node). */
  producerPeerId: z.string().max(64).nullable(),
  kind: mediaKind,
  /** The forwarded simulcast layer's rid now (null: a single encoding, or nothing forwarded). */
  rid: z.string().max(32).nullable(),
  spatialLayer: z.number().int().min(0).max(16).nullable(),
  paused: z.boolean(),
  byteCount: count,
  packetCount: count,
});

/**
 * What mediasoup measures for each peer of the caller's SFU room (bits per second, bytes), summed
 * over its transports. The bytes and bitrates: the transport (wire: SRTP, RTCP, ICE, DTLS); rtpBytes: RTP
 * packets only. The optional fields (absent from older servers) let the cost model compare like
 * with like: producers and consumers at the RTP level, per simulcast layer.
 */
export const serverPeerRatesSchema = z.strictObject({
  peerId: z.string().max(64),
  /** What the SFU receives from the peer (its upload) and sends to it (its download). */
  recvBitrate: bitrate,
  sendBitrate: bitrate,
  bytesReceived: count,
  bytesSent: count,
  /** Server time of the measurement, ms since the epoch. */
  at: count.optional(),
  rtpBytesReceived: count.optional(),
  rtpBytesSent: count.optional(),
  /** Retransmissions (RTX) and bandwidth probes (padding), part of rtpBytes*. */
  rtxBytesReceived: count.optional(),
  rtxBytesSent: count.optional(),
  probationBytesSent: count.optional(),
  producers: z.array(serverProducerSchema).max(16).optional(),
  consumers: z.array(serverConsumerSchema).max(1024).optional(),
});
export type ServerRtpStream = z.infer<typeof serverRtpStreamSchema>;
export type ServerProducerStats = z.infer<typeof serverProducerSchema>;
export type ServerConsumerStats = z.infer<typeof serverConsumerSchema>;
export type ServerPeerRates = z.infer<typeof serverPeerRatesSchema>;
export const serverRatesSchema = z.array(serverPeerRatesSchema).max(1024);
