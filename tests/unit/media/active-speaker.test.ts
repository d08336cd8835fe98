// The active-speaker decision: threshold, hold time and the switching margin that keep the
// highlight from flickering, on levels given by hand.
import { describe, expect, it } from 'vitest';
import { activeSpeaker, dbovToLevel, holdEndsAt, nextSpeaker, NO_SPEAKER, type SpeakerOptions } from '../../../app/lib/media/active-speaker';

const options: SpeakerOptions = { threshold: 0.01, holdMs: 2_000, switchRatio: 2 };
const levels = (entries: Record<string, number>) => Object.entries(entries).map(([peerId, level]) => ({ peerId, level }));

describe('active speaker', () => {
  it('converts dBov to a linear level', () => {
    expect(dbovToLevel(0)).toBe(1);
    expect(dbovToLevel(-20)).toBeCloseTo(0.1);
    expect(dbovToLevel(-200)).toBe(dbovToLevel(-127));
  });

  it('nobody speaks below the threshold', () => {
    const state = nextSpeaker(NO_SPEAKER, levels({ a: 0.009, b: 0.005 }), 1_000, options);
    expect(activeSpeaker(state, 1_000, options)).toBeNull();
    expect(holdEndsAt(state, options)).toBeNull();
  });

  it('picks the loudest participant above the threshold', () => {
    const state = nextSpeaker(NO_SPEAKER, levels({ a: 0.02, b: 0.3, c: 0.1 }), 1_000, options);
    expect(activeSpeaker(state, 1_000, options)).toBe('b');
  });

  it('holds the speaker through a pause shorter than the hold time, then lets go', () => {
    let state = nextSpeaker(NO_SPEAKER, levels({ a: 0.2 }), 1_000, options);
    state = nextSpeaker(state, levels({ a: 0.001 }), 2_000, options);
    expect(activeSpeaker(state, 2_000, options)).toBe('a');
    expect(activeSpeaker(state, 3_000, options)).toBe('a');
    expect(holdEndsAt(state, options)).toBe(3_000);
    expect(activeSpeaker(state, 3_001, options)).toBeNull();
  });

  it('keeps a speaker who still speaks unless another is clearly louder', () => {
    let state = nextSpeaker(NO_SPEAKER, levels({ a: 0.1 }), 1_000, options);
    state = nextSpeaker(state, levels({ a: 0.1, b: 0.15 }), 2_000, options);
    expect(activeSpeaker(state, 2_000, options)).toBe('a');
    state = nextSpeaker(state, levels({ a: 0.1, b: 0.21 }), 3_000, options);
    expect(activeSpeaker(state, 3_000, options)).toBe('b');
  });

  it('hands over at once when the speaker went quiet and someone else speaks', () => {
    let state = nextSpeaker(NO_SPEAKER, levels({ a: 0.3 }), 1_000, options);
    state = nextSpeaker(state, levels({ a: 0.002, b: 0.02 }), 1_500, options);
    expect(activeSpeaker(state, 1_500, options)).toBe('b');
  });

  it('an empty or unusable measurement changes nothing', () => {
    const state = nextSpeaker(NO_SPEAKER, levels({ a: 0.3 }), 1_000, options);
    expect(nextSpeaker(state, [], 1_500, options)).toBe(state);
    expect(nextSpeaker(state, levels({ b: Number.NaN }), 1_500, options)).toBe(state);
  });
});
