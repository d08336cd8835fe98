// What mediasoup measures for each peer of a room, summed over the peer's transports, and shared:
// every SFU participant asks every 2 s (stats:server) and /metrics scrapes too, while each answer
// costs one getStats() round trip to the worker per transport.
import type { types } from 'mediasoup';
import type { ServerPeerRates } from '../../signaling/protocol';
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
  return Promise.all([...room.peers.values()].map(measurePeer));
}

/** The one place a peer's transports are added up (a browser has a send and a recv transport). */
async function measurePeer(peer: Peer): Promise<ServerPeerRates> {
  const stats = await Promise.all([...peer.transports.values()].map(({ transport }) => transportStat(transport)));
  const rates: ServerPeerRates = { peerId: peer.id, recvBitrate: 0, sendBitrate: 0, bytesReceived: 0, bytesSent: 0 };
  for (const stat of stats) {
    if (!stat) continue;
    rates.recvBitrate += stat.recvBitrate;
    rates.sendBitrate += stat.sendBitrate;
    rates.bytesReceived += stat.bytesReceived;
    rates.bytesSent += stat.bytesSent;
  }
  return rates;
}

async function transportStat(transport: types.WebRtcTransport): Promise<types.WebRtcTransportStat | null> {
  try {
    const [stat] = await transport.getStats();
    return stat ?? null;
  } catch {
    return null; // closed while we asked
  }
}
