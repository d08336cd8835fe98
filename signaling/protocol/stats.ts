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
