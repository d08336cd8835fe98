'use client';
// Every connection's selected candidate pair: how its packets actually travel (direct or relayed).
import type { ConnectionSample } from '../../lib/stats/sample';
import { kbpsText, msText } from './format';

export function ConnectionPaths({ connections, names }: { connections: ConnectionSample[]; names: Record<string, string> }) {
  return (
    <table className="stats-table" data-testid="connection-paths">
      <thead>
        <tr>
          <th>Connection</th><th>State</th><th>Local</th><th>Remote</th><th>Protocol</th><th>Relayed</th>
          <th>Pair RTT</th><th>Available out</th><th>Up</th><th>Down</th>
        </tr>
      </thead>
      <tbody>
        {connections.map((c) => (
          <tr key={c.id} data-testid="connection-path" data-relayed={c.relayed ? 'yes' : 'no'} data-local-type={c.localCandidateType ?? ''}>
            <td>{c.role === 'peer' ? `to ${names[c.peerId ?? ''] ?? c.peerId}` : `SFU ${c.role}`}</td>
            <td>{c.state}</td>
            <td>{c.localCandidateType ?? '—'}</td>
            <td>{c.remoteCandidateType ?? '—'}</td>
            <td>{c.protocol ?? '—'}</td>
            <td>{c.relayed ? 'yes (TURN)' : 'no'}</td>
            <td>{msText(c.rttMs)}</td>
            <td>{kbpsText(c.availableOutgoingKbps)}</td>
            <td>{kbpsText(c.upKbps)}</td>
            <td>{kbpsText(c.downKbps)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
