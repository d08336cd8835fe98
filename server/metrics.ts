// Prometheus metrics: gauges read live from the room registry and SFU at scrape time, plus counters.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoomRegistry } from '../signaling/rooms';
import { ClusterSfu } from './cluster/cluster-sfu';
import type { NodeRegistry } from './cluster/node-registry';
import type { ServerSfu } from './sfu/types';

export interface Metrics {
  registry: Registry;
  refused: Counter<'code'>;
}

export function createMetrics(rooms: RoomRegistry, sfu: ServerSfu | null, nodes?: NodeRegistry): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (nodes) clusterMetrics(registry, nodes, sfu instanceof ClusterSfu ? sfu : null);

  new Gauge({
    name: 'call_rooms',
    help: 'Rooms with at least one participant, per mode',
    labelNames: ['mode'],
    registers: [registry],
    async collect() {
      for (const [mode, c] of Object.entries(await rooms.counts())) this.set({ mode }, c.rooms);
    },
  });
  new Gauge({
    name: 'call_peers',
    help: 'Participants in rooms, per mode',
    labelNames: ['mode'],
    registers: [registry],
    async collect() {
      for (const [mode, c] of Object.entries(await rooms.counts())) this.set({ mode }, c.peers);
    },
  });
  if (sfu) {
    new Gauge({
      name: 'sfu_objects',
      help: 'Live mediasoup objects by kind (rooms, peers, producers, consumers, workers)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        for (const [kind, n] of Object.entries(sfu.counts())) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'sfu_transport_bytes',
      help: 'Bytes through SFU transports, by direction as seen from the server (in = from browsers)',
      labelNames: ['mode', 'direction'],
      registers: [registry],
      async collect() {
        // The same per-room measurement stats:server answers with, so a scrape adds no getStats calls.
        const { bytesIn, bytesOut } = await sfu.traffic();
        this.set({ mode: 'sfu', direction: 'in' }, bytesIn);
        this.set({ mode: 'sfu', direction: 'out' }, bytesOut);
      },
    });
  }
  const refused = new Counter({
    name: 'signaling_refused_messages_total',
    help: 'Signaling messages refused before reaching a handler, by error code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  return { registry, refused };
}

/**
 * A cluster seen from this node: the live nodes and their participants (each node's own count,
 * as published), and what crosses between this node and each other one: the producers piped and
 * the bytes of their pipes (in = from that node, out = to it).
 */
function clusterMetrics(registry: Registry, nodes: NodeRegistry, sfu: ClusterSfu | null): void {
  new Gauge({
    name: 'cluster_node_participants',
    help: 'Participants whose signaling goes through each live node of the cluster',
    labelNames: ['node'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const node of await nodes.list()) this.set({ node: node.id }, node.load.participants);
    },
  });
  if (!sfu) return;
  new Gauge({
    name: 'cluster_piped_producers',
    help: 'SFU producers piped between this node and another (in = theirs piped here, out = ours piped there)',
    labelNames: ['node', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of sfu.pipedProducers()) this.set({ node: p.nodeId, direction: p.direction }, p.producers);
    },
  });
  new Gauge({
    name: 'cluster_piped_data_producers',
    help: 'SFU data producers (ping channels) piped between this node and another, as cluster_piped_producers',
    labelNames: ['node', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of sfu.pipedDataProducers()) this.set({ node: p.nodeId, direction: p.direction }, p.producers);
    },
  });
  new Gauge({
    name: 'cluster_pipe_bytes',
    help: 'Bytes through the pipe transports between this node and another, since they opened',
    labelNames: ['node', 'direction'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const b of await sfu.crossNodeBytes()) this.set({ node: b.nodeId, direction: b.direction }, b.bytes);
    },
  });
}
