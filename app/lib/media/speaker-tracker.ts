// Follows the active speaker of one call, outside the engine (it only uses engine.room and the
// stats collector's reports): the SFU's sfu:activeSpeaker pushes while they come, our receivers'
// audio levels otherwise (mesh). useSyncExternalStore-friendly, and found by the QA hook.
import { sfuActiveSpeakerSchema } from '../../../signaling/protocol';
import type { CallEngine, RawConnectionStats } from '../call/engine';
import { audioLevels, type AudioCounters } from '../stats/audio-levels';
import {
  activeSpeaker,
  dbovToLevel,
  holdEndsAt,
  nextSpeaker,
  NO_SPEAKER,
  type SpeakerLevel,
  type SpeakerState,
} from './active-speaker';

/** sfu: the SFU's audio level observer decided; receivers: our own inbound audio levels did. */
export type SpeakerSource = 'sfu' | 'receivers';

export interface ActiveSpeakerState {
  /** The speaking participant (our own id when it is us), or null. */
  peerId: string | null;
  source: SpeakerSource | null;
}

/** The server's judgement counts while its last push is this recent; then receivers take over. */
const SERVER_FRESH_MS = 5_000;
const NOBODY: ActiveSpeakerState = { peerId: null, source: null };

const registry = new WeakMap<CallEngine, SpeakerTracker>();
export const speakerTrackerOf = (engine: CallEngine | null): SpeakerTracker | null => (engine ? (registry.get(engine) ?? null) : null);

export class SpeakerTracker {
  private decision: SpeakerState = NO_SPEAKER;
  private source: SpeakerSource | null = null;
  private state: ActiveSpeakerState = NOBODY;
  private counters: AudioCounters | null = null;
  private serverAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();

  constructor(
    private readonly engine: CallEngine,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts listening to the room; returns the function that stops it. */
  attach(): () => void {
    registry.set(this.engine, this);
    const off = this.engine.room.on('sfu:activeSpeaker', (payload) => this.onServerPush(payload));
    return () => {
      off();
      clearTimeout(this.timer);
      if (registry.get(this.engine) === this) registry.delete(this.engine);
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ActiveSpeakerState => this.state;

  /** A push from the SFU; anything that does not match the schema is ignored. */
  onServerPush(payload: unknown): void {
    const parsed = sfuActiveSpeakerSchema.safeParse(payload);
    if (!parsed.success) return;
    const { peerId, volume } = parsed.data;
    this.serverAt = this.now();
    this.apply(peerId !== null && volume !== null ? [{ peerId, level: dbovToLevel(volume) }] : [], 'sfu');
  }

  /** The stats collector's raw reports of one interval (the receivers' side). */
  onReports(raw: readonly RawConnectionStats[]): void {
    const { peers, self, counters } = audioLevels(raw, this.counters);
    const first = this.counters === null;
    this.counters = counters;
    // The first reports have no interval to average over; and the SFU's word, while fresh, wins.
    if (first || this.now() - this.serverAt < SERVER_FRESH_MS) return;
    const levels: SpeakerLevel[] = Object.entries(peers).map(([peerId, level]) => ({ peerId, level }));
    const selfId = this.engine.getSnapshot().selfId;
    if (selfId && self !== null) levels.push({ peerId: selfId, level: self });
    this.apply(levels, 'receivers');
  }

  private apply(levels: SpeakerLevel[], source: SpeakerSource): void {
    const next = nextSpeaker(this.decision, levels, this.now());
    if (next !== this.decision) {
      this.decision = next;
      this.source = source;
    }
    this.refresh();
  }

  /** Recomputes what is shown now, and wakes up when the hold runs out. */
  private refresh(): void {
    const now = this.now();
    const peerId = activeSpeaker(this.decision, now);
    const state = peerId ? { peerId, source: this.source } : NOBODY;
    if (state.peerId !== this.state.peerId || state.source !== this.state.source) {
      this.state = state;
      for (const listener of this.listeners) listener();
    }
    clearTimeout(this.timer);
    const ends = holdEndsAt(this.decision);
    if (peerId && ends !== null) this.timer = setTimeout(() => this.refresh(), Math.max(0, ends - now) + 10);
  }
}
