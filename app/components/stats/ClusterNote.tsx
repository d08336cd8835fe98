// One sentence on the servers under the call when several nodes share the rooms: which nodes it
// spans, and what crosses between them (nothing in mesh; each stream once in an SFU cascade).
import type { Mode } from '../../../signaling/protocol';

export function ClusterNote({ mode, nodes }: { mode: Mode; nodes: string[] }) {
  if (nodes.length === 0) return null;
  const list = nodes.join(', ');
  const text =
    nodes.length === 1
      ? `Everyone here is on server node ${list}.`
      : mode === 'sfu'
        ? `This call spans ${nodes.length} server nodes (${list}): each participant sends to its own node's SFU, and each stream crosses to another node once, over a pipe transport, however many receive it there.`
        : `This call spans ${nodes.length} server nodes (${list}) for signaling only: mesh media goes straight between the browsers, through no node.`;
  return (
    <p className="muted stats-explain" data-testid="cluster-note" data-nodes={nodes.length}>
      {text}
    </p>
  );
}
