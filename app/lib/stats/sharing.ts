// Room-wide numbers: shares a summary of each of our samples with the room (stats:share), keeps
// the others' summaries (stats:peer) while they are in the call, and polls the server's own
// per-peer rates (stats:server; empty where no server carries media). Talks to the engine only
// through its room channel, so engines never know about stats.
import type { PeerStatsShare, ServerPeerRates } from '../../../signaling/protocol';
import type { RoomChannel } from '../call/engine';
import type { Sample } from './sample';
import { toShare } from './share';

export interface SharingState {
  /** Latest summary of every other participant, by peer id. */
  room: Readonly<Record<string, PeerStatsShare>>;
  /** The server's per-peer rates for our room (empty when no server carries media, as in mesh). */
  server: readonly ServerPeerRates[];
}

/** Every how many samples the server's rates are asked for (the server computes them per interval). */
const SERVER_RATES_EVERY = 2;

export class StatsSharing {
  private state: SharingState = { room: {}, server: [] };
  private listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private published = 0;
  private asking = false;

  constructor(private readonly channel: RoomChannel) {}

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.channel.on('stats:peer', (summary) => {
      this.set({ room: { ...this.state.room, [summary.from]: summary } });
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** One of our samples: share it, forget summaries of peers no longer here, refresh server rates. */
  publish(sample: Sample, here: readonly string[]): void {
    if (!this.unsubscribe) return;
    const present = new Set(here);
    const room = Object.fromEntries(Object.entries(this.state.room).filter(([id]) => present.has(id)));
    if (Object.keys(room).length !== Object.keys(this.state.room).length) this.set({ room });
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
      if (this.unsubscribe) this.set({ server });
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
