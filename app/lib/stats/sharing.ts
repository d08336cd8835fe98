// Room-wide numbers: shares a summary of each of our samples with the room (stats:share), keeps
// the others' summaries (stats:peer) while they are in the call, and polls the server's own
// per-peer rates (stats:server; empty where no server carries media). Talks to the engine only
// through its room channel, so engines never know about stats.
import { serverRatesSchema, type PeerStatsShare, type ServerPeerRates } from '../../../signaling/protocol';
import type { RoomChannel } from '../call/engine';
import type { Sample } from './sample';
import { toShare } from './share';

export interface SharingState {
  /** Latest summary of every other participant, by peer id. */
  room: Readonly<Record<string, PeerStatsShare>>;
  /** The server's per-peer rates for our room (empty when no server carries media, as in mesh). */
  server: readonly ServerPeerRates[];
  /** The last answers that passed the protocol's schema, oldest first: the cost model's server side. */
  serverHistory: readonly ServerAnswer[];
  /** Each peer's last summaries' receive rates (fromKbps), oldest first: the far ends of our links. */
  receivedHistory: Readonly<Record<string, readonly ReceivedRates[]>>;
}

/** What one peer said it received from each of us over one of its samples, when it arrived (our clock). */
export interface ReceivedRates {
  receivedAt: number;
  fromKbps: Record<string, number>;
}

/** One stats:server answer and when it arrived (our clock: the server's may differ). */
export interface ServerAnswer {
  receivedAt: number;
  rates: ServerPeerRates[];
}

/** About 16 s of answers: enough for a steady window of the cost model, small in memory. */
const SERVER_HISTORY = 8;

// The sharing of each room channel, so the QA hook can read the cost model's inputs.
const registry = new WeakMap<RoomChannel, StatsSharing>();
export const sharingOf = (channel: RoomChannel | null | undefined): StatsSharing | null => (channel ? (registry.get(channel) ?? null) : null);

/** Every how many samples the server's rates are asked for (the server computes them per interval). */
const SERVER_RATES_EVERY = 2;

export class StatsSharing {
  private state: SharingState = { room: {}, server: [], serverHistory: [], receivedHistory: {} };
  private listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private published = 0;
  private asking = false;

  constructor(private readonly channel: RoomChannel) {}

  start(): void {
    if (this.unsubscribe) return;
    registry.set(this.channel, this);
    this.unsubscribe = this.channel.on('stats:peer', (summary) => {
      const received = summary.fromKbps
        ? { ...this.state.receivedHistory, [summary.from]: [...(this.state.receivedHistory[summary.from] ?? []), { receivedAt: Date.now(), fromKbps: summary.fromKbps }].slice(-SERVER_HISTORY * 2) }
        : this.state.receivedHistory;
      this.set({ room: { ...this.state.room, [summary.from]: summary }, receivedHistory: received });
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (registry.get(this.channel) === this) registry.delete(this.channel);
  }

  /** One of our samples: share it, forget summaries of peers no longer here, refresh server rates. */
  publish(sample: Sample, here: readonly string[]): void {
    if (!this.unsubscribe) return;
    const present = new Set(here);
    const room = Object.fromEntries(Object.entries(this.state.room).filter(([id]) => present.has(id)));
    if (Object.keys(room).length !== Object.keys(this.state.room).length) {
      this.set({ room, receivedHistory: Object.fromEntries(Object.entries(this.state.receivedHistory).filter(([id]) => present.has(id))) });
    }
    // A dropped summary is replaced by the next one a second later.
    if (sample.upload.totalKbps !== null) this.channel.request('stats:share', toShare(sample)).catch(() => undefined);
    if (this.published++ % SERVER_RATES_EVERY === 0) void this.refreshServerRates();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SharingState => this.state;

  private async refreshServerRates(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      const server = await this.channel.request('stats:server', {});
      if (!this.unsubscribe) return;
      // Only answers in the protocol's shape feed the cost model; any answer still shows its rates.
      const parsed = serverRatesSchema.safeParse(server);
      const history = parsed.success ? [...this.state.serverHistory, { receivedAt: Date.now(), rates: parsed.data }].slice(-SERVER_HISTORY) : this.state.serverHistory;
      this.set({ server, serverHistory: history });
    } catch {
      // Keep the last rates: a refused or lost request is retried on the next round.
    } finally {
      this.asking = false;
    }
  }

  private set(patch: Partial<SharingState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
