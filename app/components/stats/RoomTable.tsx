'use client';
// Everyone's numbers side by side: our latest sample and the summaries the others share over
// signaling; and, when a server carries the media (SFU), what it measures for each of them.
import type { PeerStatsShare, ServerPeerRates, StatsShare } from '../../../signaling/protocol';
import { kbpsText, msText } from './format';

export interface RoomTableProps {
  /** Our own row, first; absent for a viewer outside the call (the operator's /watch page). */
  self?: { id: string; name: string; share: StatsShare | null };
  peers: { id: string; name: string }[];
  room: Readonly<Record<string, PeerStatsShare>>;
  server: readonly ServerPeerRates[];
}

export function RoomTable({ self, peers, room, server }: RoomTableProps) {
  const rows = [
    ...(self ? [{ id: self.id, name: `${self.name} (you)`, share: self.share }] : []),
    ...peers.map((p) => ({ id: p.id, name: p.name, share: room[p.id] ?? null })),
  ];
  // The server columns follow the data: they appear when the server reports rates for this room.
  const sfu = server.length > 0;
  return (
    <table className="stats-table" data-testid="stats-table">
      <thead>
        <tr>
          <th>Participant</th>
          <th>Upload</th>
          <th>Download</th>
          <th title="Our side of the selected candidate pairs: host, srflx (through a NAT, found by STUN), prflx (learned from a peer's check), relay (through TURN)">Path</th>
          <th title="Selected candidate pair RTT: mesh = to each peer, SFU = to the server">Pair RTT</th>
          <th title="Ping over the call's own path, peer to peer">Ping RTT</th>
          <th title="Outbound video streams with bytes flowing (mesh copies, SFU simulcast layers)">Encoders</th>
          <th>Connections</th>
          <th title="Why the encoder holds back (bandwidth, cpu, none)">Limit</th>
          {sfu && <th title="What mediasoup receives from this participant">SFU in</th>}
          {sfu && <th title="What mediasoup sends to this participant">SFU out</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ id, name, share }) => {
          const rates = server.find((s) => s.peerId === id);
          return (
            <tr key={id} data-peer-id={id} data-upload-kbps={share?.upKbps ?? ''}>
              <td>{name}</td>
              <td>{kbpsText(share?.upKbps)}</td>
              <td>{kbpsText(share?.downKbps)}</td>
              <td data-testid="room-path">{share?.path ?? '—'}</td>
              <td>{msText(share?.rttMs)}</td>
              <td>{msText(share?.pingMs)}</td>
              <td>{share?.encoders ?? '—'}</td>
              <td>{share?.connections ?? '—'}</td>
              <td>{share?.limitReason ?? '—'}</td>
              {sfu && <td>{kbpsText(rates ? rates.recvBitrate / 1000 : null)}</td>}
              {sfu && <td>{kbpsText(rates ? rates.sendBitrate / 1000 : null)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
