'use client';
// The live stats panel of the call view: charts, topology, everyone's numbers, the cost model
// check, every connection's path, and JSON/CSV export. It reads the collector; it measures nothing.
import type { CallSnapshot } from '../../lib/call/engine';
import type { CallStatsState } from '../../lib/hooks/use-stats';
import type { StatsCollector } from '../../lib/stats/collector';
import { toShare } from '../../lib/stats/share';
import { ClusterNote } from './ClusterNote';
import { ConnectionPaths } from './ConnectionPaths';
import { CostModelCheck } from './CostModelCheck';
import { JoinWaterfall } from './JoinWaterfall';
import { RoomTable } from './RoomTable';
import { ServerView } from './ServerView';
import { StatsCharts } from './StatsCharts';
import { Topology } from './Topology';
import './stats.css';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function StatsPanel({ snapshot, collector, state }: { snapshot: CallSnapshot; collector: StatsCollector | null; state: CallStatsState }) {
  const sample = state.samples.at(-1) ?? null;
  const names = Object.fromEntries(snapshot.peers.map((p) => [p.id, p.name]));
  const selfId = snapshot.selfId ?? 'self';
  const peers = snapshot.peers.map((p) => ({ id: p.id, name: p.name, node: p.node }));
  const nodes = [...new Set([snapshot.node, ...snapshot.peers.map((p) => p.node)].filter((n): n is string => !!n))].sort();
  const stamp = `${snapshot.roomId}-${snapshot.mode}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return (
    <aside className="stats-panel" data-testid="stats-panel" data-samples={state.samples.length}>
      <div className="stats-head">
        <h2>Live stats</h2>
        <span className="muted">{state.samples.length} samples at 1 Hz</span>
        <button type="button" className="btn ghost" data-testid="export-json" disabled={!collector}
          onClick={() => collector && download(`stats-${stamp}.json`, 'application/json', collector.toJSON())}>
          Export JSON
        </button>
        <button type="button" className="btn ghost" data-testid="export-csv" disabled={!collector}
          onClick={() => collector && download(`stats-${stamp}.csv`, 'text/csv', collector.toCSV())}>
          Export CSV
        </button>
      </div>
      <p className="muted stats-explain">
        Two round trips are shown. <strong>Pair RTT</strong> is the ICE candidate pair&apos;s round trip of each connection:{' '}
        {snapshot.mode === 'mesh' ? 'in mesh that is straight to the peer' : 'in SFU mode that is only to the server'}.{' '}
        <strong>Ping RTT</strong> is a small message over the call&apos;s own data path, echoed by the other participant:
        peer to peer {snapshot.mode === 'sfu' ? 'through the SFU' : 'directly'}, comparable between the modes.
      </p>
      <ClusterNote mode={snapshot.mode} nodes={nodes} />
      <StatsCharts samples={state.samples} names={names} />
      <div className="stats-row">
        <Topology mode={snapshot.mode} self={{ id: selfId, name: snapshot.name, sample, node: snapshot.node }} peers={peers}
          room={state.room} server={state.server} />
        <div className="stats-col">
          <h3>Everyone in the room</h3>
          <RoomTable self={{ id: selfId, name: snapshot.name, share: sample ? toShare(sample) : null }}
            peers={peers} room={state.room} server={state.server} />
          <h3>Cost model, checked live</h3>
          <CostModelCheck mode={snapshot.mode} selfId={selfId} samples={state.samples} serverHistory={state.serverHistory} received={state.receivedHistory} />
        </div>
      </div>
      <h3>What can the server see?</h3>
      <ServerView mode={snapshot.mode} e2ee={snapshot.e2ee} peers={snapshot.peers.length}
        relayed={(sample?.connectionStats ?? []).filter((c) => c.relayed).length} connections={sample?.connectionStats.length ?? 0} />
      <h3>Connections (selected candidate pair)</h3>
      <ConnectionPaths connections={sample?.connectionStats ?? []} names={names} />
      <h3>Time to first frame</h3>
      <JoinWaterfall marks={snapshot.joinMarks} />
    </aside>
  );
}
