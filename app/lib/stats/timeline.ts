// Owns the call's timeline for the failure drill: a short, bounded list of what happened to this
// call (joins, signaling lost and back, seats resumed or lost, media rebuilt, links down and
// repaired, peers coming and going, failure), told from the engine's snapshots, with the frames
// decoded while signaling was down read off the stats samples: the mesh/SFU contrast is the lesson.
import type { CallEngine, CallSnapshot, RemotePeer } from '../call/engine';
import type { RemotePeerSample } from './sample';

export type TimelineKind =
  | 'joined'
  | 'signaling-lost'
  /** Signaling is back and the server gave us our seat again (same peer id). Carries the outage's frames. */
  | 'seat-resumed'
  /** Signaling is back but the seat was gone: the call joins again with a new id. Carries the frames. */
  | 'seat-lost'
  | 'rejoined'
  /** Media dropped while signaling stayed up (an SFU reset): the call rebuilds it. */
  | 'media-lost'
  | 'media-rebuilt'
  | 'link-down'
  | 'link-repaired'
  | 'peer-joined'
  | 'peer-left'
  | 'call-failed'
  | 'left';

export interface TimelineEvent {
  /** ms since the epoch */
  at: number;
  kind: TimelineKind;
  /** One sentence a person can read. */
  text: string;
  peerId?: string;
  /** Outage ends: frames decoded from all peers while signaling was down (absent when unmeasured). */
  frames?: number;
  /** call-failed: the failure's code. */
  code?: string;
}

/** What the timeline reads from a stats sample: its time and each peer's cumulative frames. */
export interface FramesSample {
  timestamp: number;
  peers: readonly Pick<RemotePeerSample, 'id' | 'framesDecoded'>[];
}

export interface TimelineOptions {
  /** Events kept (oldest dropped first). */
  capacity?: number;
  now?: () => number;
}

interface Outage {
  since: number;
  /** Frames per peer at the previous sample taken during the outage; null before the first one. */
  last: Map<string, number> | null;
  frames: number;
  /** At least two samples fell inside the outage, so `frames` is a measurement. */
  measured: boolean;
}

// The timeline of each engine, so the QA hook can find it without threading it through props.
const registry = new WeakMap<CallEngine, CallTimeline>();
export const timelineOf = (engine: CallEngine | null): CallTimeline | null => (engine ? (registry.get(engine) ?? null) : null);

const DOWN = new Set<RTCPeerConnectionState>(['disconnected', 'failed']);
/** A duration a person reads: tenths under 10 s (a rebuild can take 0.3 s), whole seconds above. */
const seconds = (ms: number) => {
  const s = Math.max(0, ms) / 1000;
  return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)} s`;
};

export class CallTimeline {
  private events: readonly TimelineEvent[] = [];
  private listeners = new Set<() => void>();
  private previous: CallSnapshot | null = null;
  private everJoined = false;
  /** Our peer id at the last arrival: a rebuild on the same socket may keep it. */
  private joinedAs: string | null = null;
  private outage: Outage | null = null;
  /** When the media started rebuilding while signaling stayed up. */
  private rebuildingSince: number | null = null;
  /** Per peer id: since when the connection carrying its media has been down. */
  private downSince = new Map<string, number>();
  /**
   * The engine applies the room's roster right after it says joined, in the same turn: those peers
   * were already there, so they are named in the arrival event instead of each "joining".
   */
  private arrival: { event: TimelineEvent; settling: boolean } | null = null;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(options: TimelineOptions = {}) {
    this.capacity = options.capacity ?? 50;
    if (!(this.capacity >= 1)) throw new RangeError(`timeline capacity must be at least 1, got ${options.capacity}`);
    this.now = options.now ?? Date.now;
  }

  /** Follows the engine's snapshots until the returned function is called; the events stay. */
  attach(engine: CallEngine): () => void {
    registry.set(engine, this);
    this.previous = engine.getSnapshot();
    if (this.previous.status === 'joined' && !this.everJoined) this.arrive('joined', this.previous);
    const unsubscribe = engine.subscribe(() => {
      const next = engine.getSnapshot();
      const prev = this.previous;
      this.previous = next;
      if (prev && prev !== next) this.onChange(prev, next);
    });
    return () => void unsubscribe();
  }

  /** Feeds one stats sample (the collector's onSample): counts frames while signaling is down. */
  addSample(sample: FramesSample): void {
    const outage = this.outage;
    // Frames decoded before the loss must not be credited to the outage: start at the first sample after it.
    if (!outage || sample.timestamp < outage.since) return;
    const frames = new Map<string, number>();
    for (const p of sample.peers) if (p.framesDecoded !== null) frames.set(p.id, p.framesDecoded);
    if (outage.last) {
      for (const [id, count] of frames) {
        const before = outage.last.get(id);
        // A count that went down belongs to a new stream: all of its frames are new.
        if (before !== undefined) outage.frames += count >= before ? count - before : count;
      }
      outage.measured = true;
    }
    outage.last = frames;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Oldest first; a new array whenever an event is added (useSyncExternalStore-friendly). */
  getEvents = (): readonly TimelineEvent[] => this.events;

  private onChange(prev: CallSnapshot, next: CallSnapshot): void {
    if (prev.status !== next.status) this.onStatus(prev, next);
    else if (prev.signaling !== next.signaling) this.onSignaling(prev, next);
    if (prev.status === 'joined' && next.status === 'joined' && prev.peers !== next.peers) this.onPeers(prev.peers, next.peers);
  }

  private onStatus(prev: CallSnapshot, next: CallSnapshot): void {
    const at = this.now();
    if (next.status === 'joined') {
      const as = next.selfId === this.joinedAs ? `with the same id (${next.selfId})` : `as a new peer (id ${next.selfId ?? '?'})`;
      if (this.rebuildingSince !== null) {
        this.arrive('media-rebuilt', next, `Media rebuilt after ${seconds(at - this.rebuildingSince)}: back in the room ${as}`);
      } else if (this.everJoined) {
        this.arrive('rejoined', next, `Rejoined the room ${as}`);
      } else {
        this.arrive('joined', next);
      }
      this.rebuildingSince = null;
    } else if (prev.status === 'joined' && next.status === 'joining') {
      // With signaling down the seat-lost event already said why the call joins again.
      if (next.signaling === 'connected') {
        this.rebuildingSince = at;
        this.push({ at, kind: 'media-lost', text: 'Media dropped while signaling stayed up (the media server reset our call): rebuilding it' });
      }
    } else if (next.status === 'failed') {
      const code = next.error?.code ?? 'UNKNOWN';
      const outage = this.endOutage(at);
      const during = outage ? `; ${outage.text}` : '';
      this.push({ at, kind: 'call-failed', code, text: `Call failed: ${code} (${next.error?.message ?? 'no reason given'})${during}`, ...outage?.fields });
    } else if (next.status === 'left') {
      this.push({ at, kind: 'left', text: 'Left the call' });
    }
    if (next.status !== 'joined') this.downSince.clear();
  }

  private onSignaling(prev: CallSnapshot, next: CallSnapshot): void {
    const at = this.now();
    if (next.signaling === 'reconnecting' && !this.outage) {
      this.outage = { since: at, last: null, frames: 0, measured: false };
      this.push({ at, kind: 'signaling-lost', text: 'Signaling lost: the call keeps its connections and tries to get it back' });
    } else if (prev.signaling === 'resuming' && next.signaling === 'connected') {
      const outage = this.endOutage(at);
      this.push({ at, kind: 'seat-resumed', text: `Signaling back, seat resumed (same id)${outage ? `: ${outage.text}` : ''}`, ...outage?.fields });
    } else if (next.signaling === 'rejoining') {
      const outage = this.endOutage(at);
      const text = `Signaling back, but the server no longer held our seat: joining again with a new id${outage ? `; ${outage.text}` : ''}`;
      this.push({ at, kind: 'seat-lost', text, ...outage?.fields });
    }
  }

  /** Closes the outage: what its media did, as words and (when measured) as a frame count. */
  private endOutage(at: number): { text: string; fields?: { frames: number } } | null {
    const outage = this.outage;
    this.outage = null;
    if (!outage) return null;
    const lasted = seconds(at - outage.since);
    if (!outage.measured) return { text: `too short to count frames (${lasted})` };
    const text = outage.frames > 0 ? `media kept flowing: +${outage.frames} frames during ${lasted}` : `no media during the outage (${lasted})`;
    return { text, fields: { frames: outage.frames } };
  }

  private onPeers(prev: readonly RemotePeer[], next: readonly RemotePeer[]): void {
    const at = this.now();
    const before = new Map(prev.map((p) => [p.id, p]));
    const after = new Set(next.map((p) => p.id));
    const added = next.filter((p) => !before.has(p.id));
    if (this.arrival?.settling && added.length) {
      this.amendArrival(added.map((p) => p.name));
    } else {
      for (const p of added) this.push({ at, kind: 'peer-joined', peerId: p.id, text: `${p.name} joined` });
    }
    for (const p of prev) {
      if (after.has(p.id)) continue;
      this.downSince.delete(p.id);
      this.push({ at, kind: 'peer-left', peerId: p.id, text: `${p.name} left` });
    }
    for (const p of next) {
      const old = before.get(p.id);
      if (!old || old.connectionState === p.connectionState) continue;
      if (DOWN.has(p.connectionState)) {
        if (!this.downSince.has(p.id)) this.downSince.set(p.id, at);
        this.push({ at, kind: 'link-down', peerId: p.id, text: `The connection carrying ${p.name}'s media is ${p.connectionState}` });
      } else if (p.connectionState === 'connected' && this.downSince.has(p.id)) {
        const lasted = seconds(at - this.downSince.get(p.id)!);
        this.downSince.delete(p.id);
        this.push({ at, kind: 'link-repaired', peerId: p.id, text: `The connection carrying ${p.name}'s media is repaired (down for ${lasted})` });
      }
    }
  }

  private arrive(kind: 'joined' | 'rejoined' | 'media-rebuilt', snapshot: CallSnapshot, text?: string): void {
    this.everJoined = true;
    this.joinedAs = snapshot.selfId;
    const event: TimelineEvent = {
      at: this.now(),
      kind,
      text: text ?? `Joined the ${snapshot.mode} call as ${snapshot.name} (peer id ${snapshot.selfId ?? '?'})`,
    };
    this.push(event);
    this.arrival = { event, settling: true };
    this.amendArrival(snapshot.peers.map((p) => p.name));
    const arrival = this.arrival;
    queueMicrotask(() => {
      arrival.settling = false;
    });
  }

  /** Names the peers that were already in the room in the arrival event (a new object: events are values). */
  private amendArrival(names: string[]): void {
    const arrival = this.arrival;
    if (!arrival || !names.length) return;
    const i = this.events.indexOf(arrival.event);
    if (i < 0) return;
    const already = arrival.event.text.includes('; in the room: ');
    const amended = { ...arrival.event, text: `${arrival.event.text}${already ? ', ' : '; in the room: '}${names.join(', ')}` };
    arrival.event = amended;
    this.events = this.events.map((e, j) => (j === i ? amended : e));
    this.emit();
  }

  private push(event: TimelineEvent): void {
    this.events = [...this.events, event].slice(-this.capacity);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** HH:MM:SS in the viewer's local time zone, independent of the locale's clock format. */
export function clockText(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
