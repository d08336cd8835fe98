'use client';
// The call's shape as an SVG: mesh = a line between every two participants, SFU = a star through
// the server. Links touching us carry our measured kbps (dashed, with a TURN hop, when relayed);
// links between others an estimate from what they share; SFU spokes also what mediasoup measures.
// When the room spans several server nodes, each participant's node is named under it, and an SFU
// room draws one hub per node, joined by the cascade that carries each stream between them once.
import type { Mode, PeerStatsShare, ServerPeerRates } from '../../../signaling/protocol';
import type { Sample } from '../../lib/stats/sample';
import { kbpsText } from './format';

interface Node {
  id: string;
  name: string;
  /** The server node its signaling (and SFU media) goes through, in a cluster. */
  server?: string;
  x: number;
  y: number;
}

export interface TopologyProps {
  mode: Mode;
  /** Us, drawn first with our own measured links; absent for a viewer outside the call (/watch). */
  self?: { id: string; name: string; sample: Sample | null; node?: string | null };
  peers: { id: string; name: string; node?: string }[];
  room: Readonly<Record<string, PeerStatsShare>>;
  server: readonly ServerPeerRates[];
}

const SIZE = 340;
/** Where along a relayed link the TURN hop is drawn: clear of our name and of the link's label. */
const TURN_AT: Record<Mode, number> = { mesh: 0.3, sfu: 0.72 };
const C = SIZE / 2;

export function Topology({ mode, self, peers, room, server }: TopologyProps) {
  const all = [...(self ? [{ id: self.id, name: `${self.name} (you)`, node: self.node ?? undefined }] : []), ...peers];
  const servers = [...new Set(all.flatMap((p) => (p.node ? [p.node] : [])))].sort();
  const cascaded = mode === 'sfu' && servers.length > 1;
  const sample = self?.sample ?? null;
  // Someone else's links: what they share of their own path ("srflx", "relay/udp, host"…); ours
  // come from our own stats. Paths are shared per participant, not per link.
  const kinds = (id: string) => room[id]?.path?.split(', ') ?? [];
  const relaysSome = (id: string) => kinds(id).some((k) => k.startsWith('relay'));
  const relaysAll = (id: string) => kinds(id).length > 0 && kinds(id).every((k) => k.startsWith('relay'));
  const r = 120;
  const nodes: Node[] = all.map((p, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / all.length;
    return { id: p.id, name: p.name, server: p.node, x: C + r * Math.cos(a), y: C + r * Math.sin(a) };
  });
  // One hub per server node, on a small circle (side by side for two).
  const hubs: Node[] = (cascaded ? servers : ['SFU']).map((id, i, list) => {
    const a = Math.PI + (2 * Math.PI * i) / list.length;
    const spread = list.length > 1 ? 52 : 0;
    return { id, name: cascaded ? id : 'SFU', x: C + spread * Math.cos(a), y: C + spread * Math.sin(a) };
  });
  const links: { a: Node; b: Node; label: string[] | null; ours: boolean; relayed: boolean }[] = [];
  if (mode === 'mesh') {
    // Each participant splits its upload over N-1 copies; a link between two others carries one each way.
    const copy = (id: string) => {
      const up = room[id]?.upKbps;
      return up === null || up === undefined ? null : up / Math.max(1, nodes.length - 1);
    };
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const ours = !!self && i === 0;
        const conn = ours ? sample?.connectionStats.find((c) => c.peerId === nodes[j].id) : undefined;
        const [ab, ba] = [copy(nodes[i].id), copy(nodes[j].id)];
        const label = conn
          ? [`↑${kbpsText(conn.upKbps)}`, `↓${kbpsText(conn.downKbps)}`]
          : !ours && ab !== null && ba !== null
            ? [`≈${kbpsText(ab + ba)}`]
            : null;
        // Between two others: relayed when either relays all its connections (then this one too).
        const relayed = ours ? !!conn?.relayed : relaysAll(nodes[i].id) || relaysAll(nodes[j].id);
        links.push({ a: nodes[i], b: nodes[j], label, ours, relayed });
      }
    }
  } else {
    for (const node of nodes) {
      const hub = hubs.find((h) => h.id === node.server) ?? hubs[0];
      const ours = node.id === self?.id;
      const up = ours ? sample?.upload.totalKbps : room[node.id]?.upKbps;
      const rates = server.find((s) => s.peerId === node.id);
      const label = rates
        ? [`in ${kbpsText(rates.recvBitrate / 1000)}`, `out ${kbpsText(rates.sendBitrate / 1000)}`]
        : up !== undefined
          ? [`↑${kbpsText(up)}`]
          : null;
      const relayed = ours ? !!sample?.connectionStats.some((c) => c.relayed) : relaysSome(node.id);
      links.push({ a: node, b: hub, label, ours, relayed });
    }
  }
  return (
    <svg className="topology" data-testid="topology" data-mode={mode} viewBox={`0 0 ${SIZE} ${SIZE}`} role="img"
      aria-label={mode === 'mesh' ? 'mesh: a connection between every two participants' : 'SFU: every participant connects to the server'}>
      {links.map(({ a, b, label, ours, relayed }) => (
        <g key={`${a.id}-${b.id}`} data-testid="topology-link" data-relayed={relayed}>
          <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className={`link${ours ? ' ours' : ''}${relayed ? ' relayed' : ''}`} />
          {relayed && <TurnHop x={a.x + (b.x - a.x) * TURN_AT[mode]} y={a.y + (b.y - a.y) * TURN_AT[mode]} />}
          {label && (
            // SFU spokes are labelled near their participant, so labels of neighbouring spokes stay apart.
            <text x={a.x + (b.x - a.x) * (mode === 'sfu' ? 0.42 : 0.5)} y={a.y + (b.y - a.y) * (mode === 'sfu' ? 0.42 : 0.5) - 6}
              className="link-label" textAnchor="middle">
              {label.map((line, i) => (
                <tspan key={i} x={a.x + (b.x - a.x) * (mode === 'sfu' ? 0.42 : 0.5)} dy={i === 0 ? 0 : 14}>{line}</tspan>
              ))}
            </text>
          )}
        </g>
      ))}
      {cascaded && hubs.slice(1).map((b, i) => hubs.slice(0, i + 1).map((a) => (
        <line key={`${a.id}-${b.id}`} data-testid="topology-cascade" x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="link cascade" />
      )))}
      {mode === 'sfu' && hubs.map((h) => (
        <g key={h.id} data-testid="topology-hub" data-node={h.id}>
          <rect x={h.x - 30} y={h.y - 16} width={60} height={32} rx={6} className="node hub" />
          <text x={h.x} y={h.y + 5} textAnchor="middle" className="node-label hub-label">{h.name}</text>
        </g>
      ))}
      {nodes.map((n) => (
        <g key={n.id} data-testid="topology-participant" data-node={n.server}>
          <circle cx={n.x} cy={n.y} r={16} className={n.id === self?.id ? 'node self' : 'node'} />
          <text x={n.x} y={n.y + 32} textAnchor="middle" className="node-label">{n.name}</text>
          {servers.length > 1 && n.server && (
            <text x={n.x} y={n.y + 47} textAnchor="middle" className="node-label small">via {n.server}</text>
          )}
        </g>
      ))}
    </svg>
  );
}

/** Our traffic on this link goes through a TURN relay: the extra hop, drawn where it sits. */
function TurnHop({ x, y }: { x: number; y: number }) {
  return (
    <g data-testid="topology-turn">
      <rect x={x - 20} y={y - 10} width={40} height={20} rx={5} className="turn" />
      <text x={x} y={y + 4} textAnchor="middle" className="turn-label">TURN</text>
    </g>
  );
}
