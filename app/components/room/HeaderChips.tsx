'use client';
// Header chips that explain what the numbers mean right now: traffic relayed through TURN, and a
// machine (CPU, bandwidth, frame rate) limiting the call rather than the topology.
import type { MachineLimit } from '../../lib/stats/limits';

export function RelayChip({ forced, relayed, total }: { forced: boolean; relayed: number; total: number }) {
  if (!forced && relayed === 0) return null;
  const text = forced ? 'Relay only: every connection goes through TURN' : `${relayed} of ${total} connections relayed through TURN`;
  return (
    <span className="chip relay" data-testid="relay-badge" data-forced={forced} data-relayed={relayed} title={text}>
      TURN {forced ? 'relay only' : `${relayed}/${total}`}
    </span>
  );
}

export function MachineLimitChip({ limits }: { limits: MachineLimit[] }) {
  if (limits.length === 0) return null;
  return (
    <div className="chip warn machine-limit" role="status" data-testid="machine-limit" data-reasons={[...new Set(limits.map((l) => l.reason))].join(' ')}>
      <strong>The machine, not the topology, is the limit now.</strong>
      <ul>
        {limits.map((l) => (
          <li key={`${l.who}-${l.reason}`}>{l.text}</li>
        ))}
      </ul>
    </div>
  );
}
