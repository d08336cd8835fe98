// Who is speaking in each SFU room: one mediasoup AudioLevelObserver per room router, fed every
// audio producer, its reports thinned by SpeakerReports before they become activeSpeaker events.
import type { Logger } from 'pino';
import type { types } from 'mediasoup';
import type { ActiveSpeakerInfo } from '../../signaling/protocol';

export const SPEAKER_OBSERVER = {
  /** Averaging window of the observer, ms: also how often it reports while someone speaks. */
  interval: 500,
  /** dBov: quieter producers count as silent (a voice near a laptop's microphone is around -30). */
  threshold: -50,
  /** The same speaker is reported again at most this often, ms, so clients can keep it highlighted. */
  refreshMs: 1_000,
} as const;

/**
 * Thins one room's observer reports: a new loudest speaker goes out at once, the same one again
 * only after `refreshMs`, silence once. Pure (the clock is passed in), so it is tested on its own.
 */
export class SpeakerReports {
  private last: { peerId: string | null; at: number } | null = null;

  constructor(private readonly refreshMs: number = SPEAKER_OBSERVER.refreshMs) {}

  /** The report to send for this observation, or null to send nothing. */
  observe(loudest: { peerId: string; volume: number } | null, now: number): ActiveSpeakerInfo | null {
    const peerId = loudest?.peerId ?? null;
    const last = this.last;
    if (last && last.peerId === peerId && (peerId === null || now - last.at < this.refreshMs)) return null;
    // Nobody was speaking and nobody is: the first silence after start says nothing new.
    if (!last && peerId === null) return null;
    this.last = { peerId, at: now };
    return loudest ? { peerId: loudest.peerId, volume: Math.max(-127, Math.min(0, Math.round(loudest.volume))) } : { peerId: null, volume: null };
  }
}

type Report = (roomId: string, info: ActiveSpeakerInfo) => void;

/** Owns the observers of every room: created with a room's first audio producer, closed with its router. */
export class ActiveSpeakers {
  private readonly observers = new WeakMap<types.Router, Promise<types.AudioLevelObserver>>();

  constructor(
    private readonly report: Report,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts observing an audio producer of `peerId` in the room whose router is `router`. */
  async add(roomId: string, router: types.Router, producer: types.Producer, peerId: string): Promise<void> {
    if (producer.kind !== 'audio') return;
    try {
      (producer.appData as { peerId?: string }).peerId = peerId;
      const observer = await this.observerOf(roomId, router);
      // Producers close with their peer; the observer forgets them by itself.
      if (!producer.closed && !observer.closed) await observer.addProducer({ producerId: producer.id });
    } catch (err) {
      // The room may have closed meanwhile; the call works without an active speaker.
      if (!router.closed) this.logger.warn({ err, roomId, producerId: producer.id }, 'audio level observer: producer not added');
    }
  }

  private observerOf(roomId: string, router: types.Router): Promise<types.AudioLevelObserver> {
    let pending = this.observers.get(router);
    if (!pending) {
      pending = this.create(roomId, router);
      this.observers.set(router, pending);
    }
    return pending;
  }

  private async create(roomId: string, router: types.Router): Promise<types.AudioLevelObserver> {
    const { interval, threshold } = SPEAKER_OBSERVER;
    const observer = await router.createAudioLevelObserver({ maxEntries: 1, threshold, interval });
    const reports = new SpeakerReports();
    const send = (loudest: { peerId: string; volume: number } | null) => {
      const info = reports.observe(loudest, this.now());
      if (info) this.report(roomId, info);
    };
    observer.on('volumes', (volumes) => {
      const top = volumes[0];
      const peerId = (top?.producer.appData as { peerId?: string } | undefined)?.peerId;
      if (top && peerId) send({ peerId, volume: top.volume });
    });
    observer.on('silence', () => send(null));
    return observer;
  }
}
