// Samples a call once per second into a ring buffer and exports it (JSON, CSV). Whoever needs each
// new sample (room sharing, QA) registers with onSample. useSyncExternalStore-friendly: getState()
// returns a new object only when something changed.
import type { CallEngine, RawConnectionStats } from '../call/engine';
import { normalize } from './normalize';
import type { Sample } from './sample';
import { mean } from './share';

export interface CollectorState {
  samples: readonly Sample[];
}

export interface CollectorOptions {
  capacity?: number;
  intervalMs?: number;
}

/** `raw`: the reports the sample was made of, for readers of what the sample leaves out (audio levels). */
type SampleListener = (sample: Sample, roster: readonly string[], raw: readonly RawConnectionStats[]) => void;

// The collector of each engine, so the QA hook can find it without threading it through props.
const registry = new WeakMap<CallEngine, StatsCollector>();
export const collectorOf = (engine: CallEngine | null): StatsCollector | null => (engine ? (registry.get(engine) ?? null) : null);

export class StatsCollector {
  private state: CollectorState = { samples: [] };
  private listeners = new Set<() => void>();
  private sampleListeners = new Set<SampleListener>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
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
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (registry.get(this.engine) === this) registry.delete(this.engine);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called after each new sample with the ids of the peers in the roster at that moment. */
  onSample(listener: SampleListener): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  getState = (): CollectorState => this.state;

  latest(): Sample | null {
    return this.state.samples.at(-1) ?? null;
  }

  toJSON(): string {
    return JSON.stringify(this.state.samples.map(withoutCounters));
  }

  toCSV(): string {
    const header = ['timestamp', 'mode', 'up_kbps', 'up_audio_kbps', 'up_video_kbps', 'down_kbps', 'down_audio_kbps',
      'down_video_kbps', 'active_encoders', 'connections', 'pair_rtt_ms', 'ping_rtt_ms', 'screen_up_kbps', 'screen_encoders'];
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const rows = this.state.samples.map((s) =>
      [new Date(s.timestamp).toISOString(), s.mode, s.upload.totalKbps, s.upload.audioKbps, s.upload.videoKbps,
        s.download.totalKbps, s.download.audioKbps, s.download.videoKbps, s.activeEncoders, s.connections,
        mean(s.connectionStats.map((c) => c.rttMs)), mean(Object.values(s.pingRtt)), s.screen?.upKbps, s.screen?.encoders].map(cell).join(','),
    );
    return [header.join(','), ...rows].join('\n') + '\n';
  }

  private async tick(): Promise<void> {
    // A slow getStats must not pile up ticks behind it.
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.engine.getSnapshot().status !== 'joined') return;
      const { sample, raw } = await sampleWithRaw(this.engine, this.latest());
      if (!this.timer) return;
      this.state = { samples: [...this.state.samples, sample].slice(-this.capacity) };
      for (const listener of this.listeners) listener();
      const roster = this.engine.getSnapshot().peers.map((p) => p.id);
      for (const listener of this.sampleListeners) listener(sample, roster, raw);
    } catch (err) {
      console.warn('stats: sample failed', err);
    } finally {
      this.busy = false;
    }
  }
}

/** One sample of the engine's connections now; deltas against `previous` when given. */
export async function sampleEngine(engine: CallEngine, previous: Sample | null = null): Promise<Sample> {
  return (await sampleWithRaw(engine, previous)).sample;
}

async function sampleWithRaw(engine: CallEngine, previous: Sample | null): Promise<{ sample: Sample; raw: RawConnectionStats[] }> {
  const raw = await engine.collectRawStats();
  const snapshot = engine.getSnapshot();
  const sample = normalize(raw, previous, {
    mode: snapshot.mode,
    now: Date.now(),
    roster: snapshot.peers.map((p) => ({ id: p.id, name: p.name })),
    pingRtt: engine.pingRtt(),
  });
  return { sample, raw };
}

/** The exported form drops the delta bookkeeping: it means nothing outside the normalizer. */
export function withoutCounters(sample: Sample): Omit<Sample, 'counters'> {
  const { counters: _counters, ...rest } = sample;
  return rest;
}
