// Server-side transport bitrates per room and peer, as mediasoup measures them.
import type { types } from 'mediasoup';
import type { PeerTransport } from './peer';
import type { Room } from './room';
import type { RoomRates, TransportRates } from './types';

export async function collectRates(rooms: Room[]): Promise<RoomRates[]> {
  return Promise.all(
    rooms.map(async (room) => ({
      roomId: room.id,
      peers: await Promise.all(
        [...room.peers.values()].map(async (peer) => {
          const rates = await Promise.all([...peer.transports.values()].map(transportRates));
          return { peerId: peer.id, transports: rates.filter((r): r is TransportRates => r !== null) };
        }),
      ),
    })),
  );
}

async function transportRates({ transport, direction }: PeerTransport): Promise<TransportRates | null> {
  let stat: types.WebRtcTransportStat | undefined;
  try {
    [stat] = await transport.getStats();
  } catch {
    return null; // closed while we asked
  }
  if (!stat) return null;
  return {
    transportId: transport.id,
    direction,
    recvBitrate: stat.recvBitrate,
    sendBitrate: stat.sendBitrate,
    bytesReceived: stat.bytesReceived,
    bytesSent: stat.bytesSent,
  };
}
