// Who is the active speaker, decided from audio levels (our receivers' or the SFU's), with a
// threshold, a hold time and a switching margin so the highlight does not flicker. Pure: the
// clock is passed in; the tracker (speaker-tracker.ts) feeds it.

/** One participant's audio level, linear 0..1 (1 = 0 dBov), averaged over the last measurement. */
export interface SpeakerLevel {
  peerId: string;
  level: number;
}

export interface SpeakerOptions {
  /** Below this level (linear) a participant is not speaking. */
  threshold: number;
  /** How long the speaker stays active after it was last heard above the threshold, ms. */
  holdMs: number;
  /** While the speaker still speaks, another one takes over only when this many times louder. */
  switchRatio: number;
}

/** dBov (-127 .. 0, what RTP's audio level extension and mediasoup report) to a linear level. */
export const dbovToLevel = (dbov: number): number => 10 ** (Math.max(-127, Math.min(0, dbov)) / 20);

export const SPEAKER_OPTIONS: SpeakerOptions = {
  // The SFU's observer uses the same -50 dBov (server/sfu/active-speaker.ts).
  threshold: dbovToLevel(-50),
  // Longer than the gaps between words and than the SFU's one-second refresh of a speaker.
  holdMs: 2_000,
  // +6 dB: two people talking at once do not swap the highlight on every measurement.
  switchRatio: 2,
};

export interface SpeakerState {
  /** The last participant chosen as speaker (maybe no longer active: see activeSpeaker). */
  peerId: string | null;
  /** When it was last heard above the threshold, ms. */
  heardAt: number;
  /** Its level then. */
  level: number;
}

export const NO_SPEAKER: SpeakerState = { peerId: null, heardAt: -Infinity, level: 0 };

/** The state after one measurement of everyone's levels at `now`. */
export function nextSpeaker(state: SpeakerState, levels: readonly SpeakerLevel[], now: number, options = SPEAKER_OPTIONS): SpeakerState {
  const loud = levels.filter((l) => Number.isFinite(l.level) && l.level >= options.threshold);
  if (loud.length === 0) return state;
  const loudest = loud.reduce((a, b) => (b.level > a.level ? b : a));
  const current = loud.find((l) => l.peerId === state.peerId);
  if (current && (loudest === current || loudest.level < current.level * options.switchRatio)) {
    return { peerId: current.peerId, heardAt: now, level: current.level };
  }
  return { peerId: loudest.peerId, heardAt: now, level: loudest.level };
}

/** The active speaker at `now`, or null once the last one has been quiet for longer than the hold. */
export function activeSpeaker(state: SpeakerState, now: number, options = SPEAKER_OPTIONS): string | null {
  return state.peerId !== null && now - state.heardAt <= options.holdMs ? state.peerId : null;
}

/** When activeSpeaker will next change by itself (the hold running out), or null if it will not. */
export function holdEndsAt(state: SpeakerState, options = SPEAKER_OPTIONS): number | null {
  return state.peerId === null ? null : state.heardAt + options.holdMs;
}
