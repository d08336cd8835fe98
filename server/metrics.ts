// Prometheus metrics: gauges read live from the room registry and SFU at scrape time, plus counters.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoomRegistry } from '../signaling/rooms';
import type { ServerSfu } from './sfu/types';

export interface Metrics {
  registry: Registry;
  refused: Counter<'code'>;
}

export function createMetrics(rooms: RoomRegistry, sfu: ServerSfu | null): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'call_rooms',
    help: 'Rooms with at least one participant, per mode',
    labelNames: ['mode'],
    registers: [registry],
    collect() {
      for (const [mode, c] of Object.entries(rooms.counts())) this.set({ mode }, c.rooms);
    },
  });
  new Gauge({
    name: 'call_peers',
    help: 'Participants in rooms, per mode',
    labelNames: ['mode'],
    registers: [registry],
    collect() {
      for (const [mode, c] of Object.entries(rooms.counts())) this.set({ mode }, c.peers);
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
