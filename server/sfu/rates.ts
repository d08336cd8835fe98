// What mediasoup measures for each peer of a room, summed over the peer's transports (plus its
// producers per layer and its consumers, for the cost model's like-for-like rows), and shared:
// every SFU participant asks every 2 s (stats:server) and /metrics scrapes too, while each answer
// costs one getStats() round trip to the worker per transport, producer and consumer.
import type { types } from 'mediasoup';
import type { ServerConsumerStats, ServerPeerRates, ServerProducerStats } from '../../signaling/protocol';
import { sourceOf } from './media';
import type { Peer } from './peer';
import type { Room } from './room';
import type { SfuTraffic } from './types';

/**
 * How long one room's measurement is reused: callers within 1 s of its start (and callers while it
 * is still running) share it. mediasoup's bitrates are already averaged over a window, so an
 * answer up to a second old loses nothing; peers that join or leave show up on the next one.
 */
export const RATES_MAX_AGE_MS = 1_000;

interface Measurement {
  startedAt: number;
  settled: boolean;
  rates: Promise<ServerPeerRates[]>;
}

export class RoomRatesCache {
  /** Keyed by the room object, so a closed room's entry goes with it and a reused id starts fresh. */
  private readonly measurements = new WeakMap<Room, Measurement>();

  constructor(private readonly now: () => number = Date.now) {}

  get(room: Room): Promise<ServerPeerRates[]> {
    const at = this.now();
    const last = this.measurements.get(room);
    if (last && (!last.settled || at - last.startedAt < RATES_MAX_AGE_MS)) return last.rates;
    const measurement: Measurement = { startedAt: at, settled: false, rates: measureRoom(room) };
    const settle = () => (measurement.settled = true);
    measurement.rates.then(settle, settle);
    this.measurements.set(room, measurement);
    return measurement.rates;
  }

  /** Every room's measurements added up: the totals /metrics exports. */
  async traffic(rooms: Room[]): Promise<SfuTraffic> {
    const traffic: SfuTraffic = { bytesIn: 0, bytesOut: 0 };
    for (const peers of await Promise.all(rooms.map((room) => this.get(room)))) {
      for (const peer of peers) {
        traffic.bytesIn += peer.bytesReceived;
        traffic.bytesOut += peer.bytesSent;
      }
    }
    return traffic;
  }
}

function measureRoom(room: Room): Promise<ServerPeerRates[]> {
  // Whose producer each consumer forwards, and its layers' rids (a consumer reports a layer index).
  const owners = new Map<string, { peerId: string; producer: types.Producer }>();
  for (const peer of room.peers.values()) for (const producer of peer.producers.values()) owners.set(producer.id, { peerId: peer.id, producer });
  return Promise.all([...room.peers.values()].map((peer) => measurePeer(peer, owners)));
}

/** The one place a peer's transports are added up (a browser has a send and a recv transport). */
async function measurePeer(peer: Peer, owners: Map<string, { peerId: string; producer: types.Producer }>): Promise<ServerPeerRates> {
  const at = Date.now();
  const [stats, producers, consumers] = await Promise.all([
    Promise.all([...peer.transports.values()].map(({ transport }) => transportStat(transport))),
    Promise.all([...peer.producers.values()].map(producerStats)),
    Promise.all([...peer.consumers.values()].map((c) => consumerStats(c, owners.get(c.producerId)))),
  ]);
  const rates: ServerPeerRates = { peerId: peer.id, recvBitrate: 0, sendBitrate: 0, bytesReceived: 0, bytesSent: 0 };
  const rtp = { at, rtpBytesReceived: 0, rtpBytesSent: 0, rtxBytesReceived: 0, rtxBytesSent: 0, probationBytesSent: 0 };
  for (const stat of stats) {
    if (!stat) continue;
    rates.recvBitrate += stat.recvBitrate;
    rates.sendBitrate += stat.sendBitrate;
    rates.bytesReceived += stat.bytesReceived;
    rates.bytesSent += stat.bytesSent;
    rtp.rtpBytesReceived += stat.rtpBytesReceived ?? 0;
    rtp.rtpBytesSent += stat.rtpBytesSent ?? 0;
    rtp.rtxBytesReceived += stat.rtxBytesReceived ?? 0;
    rtp.rtxBytesSent += stat.rtxBytesSent ?? 0;
    rtp.probationBytesSent += stat.probationBytesSent ?? 0;
  }
  return {
    ...rates,
    ...rtp,
    producers: producers.filter((p) => p !== null),
    consumers: consumers.filter((c) => c !== null),
  };
}

/** Per simulcast layer: what the SFU receives of each encoding (RTP packets, header + payload). */
async function producerStats(producer: types.Producer): Promise<ServerProducerStats | null> {
  try {
    const streams = (await producer.getStats()).map((s) => ({ rid: s.rid ?? null, byteCount: s.byteCount, packetCount: s.packetCount }));
    return { id: producer.id, kind: producer.kind, source: sourceOf(producer), streams };
  } catch {
    return null; // closed while we asked
  }
}

/** What the SFU forwards on one consumer, and which of the producer's layers that is now. */
async function consumerStats(consumer: types.Consumer, owner: { peerId: string; producer: types.Producer } | undefined): Promise<ServerConsumerStats | null> {
  try {
    const sent = (await consumer.getStats()).find((s) => s.type === 'outbound-rtp');
    const spatialLayer = consumer.currentLayers?.spatialLayer ?? null;
    const rid = spatialLayer === null ? null : (owner?.producer.rtpParameters.encodings?.[spatialLayer]?.rid ?? null);
    return {
      id: consumer.id,
      producerId: consumer.producerId,
      producerPeerId: owner?.peerId ?? null,
      kind: consumer.kind,
      rid,
      spatialLayer,
      paused: consumer.paused || consumer.producerPaused,
      byteCount: sent?.byteCount ?? 0,
      packetCount: sent?.packetCount ?? 0,
    };
  } catch {
    return null;
  }
}

async function transportStat(transport: types.WebRtcTransport): Promise<types.WebRtcTransportStat | null> {
  try {
    const [stat] = await transport.getStats();
    return stat ?? null;
  } catch {
    return null; // closed while we asked
  }
}
