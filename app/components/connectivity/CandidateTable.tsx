// The gathered ICE candidates as a table: one row per candidate, typed so tests and eyes can find relays.
import type { CandidateRow } from '../../lib/connectivity/candidates';

const TYPE_HELP: Record<string, string> = {
  host: 'an address of this machine',
  srflx: 'this machine as seen by the STUN server (public address behind NAT)',
  prflx: 'an address learned from a peer during checks',
  relay: 'an address on the TURN server that relays for you',
};

export function CandidateTable({ rows }: { rows: CandidateRow[] }) {
  if (rows.length === 0) return <p className="muted">No candidates were gathered.</p>;
  return (
    <div className="cx-table-wrap">
      <table className="cx-table">
        <thead>
          <tr>
            <th>Type</th>
            <th>Protocol</th>
            <th>Address</th>
            <th>Port</th>
            <th>Priority</th>
            <th>Relay via</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${row.raw}-${i}`} data-testid="candidate-row" data-type={row.type}>
              <td>
                <span className={`cx-type cx-type-${row.type}`} title={TYPE_HELP[row.type] ?? row.type}>
                  {row.type}
                </span>
              </td>
              <td>{row.protocol}</td>
              <td className="cx-mono">{row.address}</td>
              <td className="cx-mono">{row.port ?? '—'}</td>
              <td className="cx-mono">{row.priority ?? '—'}</td>
              <td className="cx-mono">
                {row.type === 'relay' ? `${row.relayProtocol ?? '?'}${row.url ? ` · ${row.url}` : ''}` : row.url ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
