// Samples a call once per second into a ring buffer, shares a summary with the room, keeps the
// others' summaries and the SFU's own rates, and exports everything. useSyncExternalStore-friendly:
// getState() returns a new object only when something changed.
import type { PeerStatsShare, ServerPeerRates } from '../../../signaling/protocol';
import type { CallEngine } from '../call/engine';
import { normalize } from './normalize';
import type { Sample } from './sample';
import { mean, toShare } from './share';

export interface CollectorState {
  samples: readonly Sample[];
  /** Latest summary of every other participant, by peer id. */
  room: Readonly<Record<string, PeerStatsShare>>;
  /** SFU mode: mediasoup's per-peer rates of our room (empty in mesh). */
  server: readonly ServerPeerRates[];
}

export interface CollectorOptions {
  capacity?: number;
  intervalMs?: number;
}

// The collector of each engine, so the QA hook can find it without threading it through props.
const registry = new WeakMap<CallEngine, StatsCollector>();
export const collectorOf = (engine: CallEngine | null): StatsCollector | null => (engine ? (registry.get(engine) ?? null) : null);

export class StatsCollector {
  private state: CollectorState = { samples: [], room: {}, server: [] };
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribePeers: (() => void) | null = null;
  private busy = false;
  private ticks = 0;
  private readonly capacity: number;
  private readonly intervalMs: number;

  constructor(
    private readonly engine: CallEngine,
    options: CollectorOptions = {},
  ) {
    this.capacity = options.capacity ?? 600;
    this.intervalMs = options.intervalMs ?? 1000;
  }

  start(): void {
    if (this.timer) return;
    registry.set(this.engine, this);
    this.unsubscribePeers = this.engine.onPeerStats((summary) => {
      this.set({ room: { ...this.state.room, [summary.from]: summary } });
    });
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribePeers?.();
    this.unsubscribePeers = null;
    if (registry.get(this.engine) === this) registry.delete(this.engine);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): CollectorState => this.state;

  latest(): Sample | null {
    return this.state.samples.at(-1) ?? null;
  }

  toJSON(): string {
    return JSON.stringify(this.state.samples.map(withoutCounters));
  }

  toCSV(): string {
    const header = ['timestamp', 'mode', 'up_kbps', 'up_audio_kbps', 'up_video_kbps', 'down_kbps', 'down_audio_kbps',
      'down_video_kbps', 'active_encoders', 'connections', 'pair_rtt_ms', 'ping_rtt_ms'];
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const rows = this.state.samples.map((s) =>
      [new Date(s.timestamp).toISOString(), s.mode, s.upload.totalKbps, s.upload.audioKbps, s.upload.videoKbps,
        s.download.totalKbps, s.download.audioKbps, s.download.videoKbps, s.activeEncoders, s.connections,
        mean(s.connectionStats.map((c) => c.rttMs)), mean(Object.values(s.pingRtt))].map(cell).join(','),
    );
    return [header.join(','), ...rows].join('\n') + '\n';
  }

  private async tick(): Promise<void> {
    // A slow getStats must not pile up ticks behind it.
    if (this.busy) return;
    this.busy = true;
    try {
      const snapshot = this.engine.getSnapshot();
      if (snapshot.status !== 'joined') return;
      const raw = await this.engine.collectRawStats();
      if (!this.timer) return;
      const sample = normalize(raw, this.latest(), {
        mode: snapshot.mode,
        now: Date.now(),
        roster: snapshot.peers.map((p) => ({ id: p.id, name: p.name })),
        pingRtt: this.engine.pingRtt(),
      });
      const samples = [...this.state.samples, sample].slice(-this.capacity);
      // Forget summaries of peers that left, so the room table shows only who is here.
      const here = new Set(snapshot.peers.map((p) => p.id));
      const room = Object.fromEntries(Object.entries(this.state.room).filter(([id]) => here.has(id)));
      this.set({ samples, room });
      if (sample.upload.totalKbps !== null) this.engine.shareStats(toShare(sample));
      if (snapshot.mode === 'sfu' && this.ticks++ % 2 === 0) {
        const server = await this.engine.serverRates().catch(() => this.state.server);
        if (this.timer) this.set({ server });
      }
    } catch (err) {
      console.warn('stats: sample failed', err);
    } finally {
      this.busy = false;
    }
  }

  private set(patch: Partial<CollectorState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

/** The exported form drops the delta bookkeeping: it means nothing outside the normalizer. */
export function withoutCounters(sample: Sample): Omit<Sample, 'counters'> {
  const { counters: _counters, ...rest } = sample;
  return rest;
}
