// The recovery benchmark's judgement calls: a whole roster, video moving again, and summaries that
// count trials that never recovered instead of dropping them.
import { describe, expect, it } from 'vitest';
import { decodingEveryone, rosterWhole, summarizeScenario, totalFrames, type RecoveryReading } from '../../../../../scripts/kit/lib/measure/recovery';

const reading = (patch: Partial<RecoveryReading> = {}): RecoveryReading => ({
  status: 'joined',
  signaling: 'connected',
  selfId: 'me',
  roster: [{ name: 'b', reconnecting: false }, { name: 'c', reconnecting: false }],
  frames: { b: 100, c: 100 },
  ...patch,
});

describe('rosterWhole', () => {
  it('needs joined, connected, exactly the others, nobody reconnecting', () => {
    expect(rosterWhole(reading(), ['c', 'b'])).toBe(true);
    expect(rosterWhole(reading({ signaling: 'resuming' }), ['b', 'c'])).toBe(false);
    expect(rosterWhole(reading({ status: 'joining' }), ['b', 'c'])).toBe(false);
    expect(rosterWhole(reading({ roster: [{ name: 'b', reconnecting: false }, { name: 'c', reconnecting: true }] }), ['b', 'c'])).toBe(false);
    expect(rosterWhole(reading({ roster: [{ name: 'b', reconnecting: false }] }), ['b', 'c'])).toBe(false);
    // A ghost (a duplicate tile of someone who rejoined) is not whole either.
    expect(rosterWhole(reading({ roster: [...reading().roster, { name: 'b', reconnecting: false }] }), ['b', 'c'])).toBe(false);
  });
});

describe('decodingEveryone', () => {
  it('needs every other participant’s frames to advance between two polls', () => {
    expect(decodingEveryone(reading(), reading({ frames: { b: 101, c: 105 } }), ['b', 'c'])).toBe(true);
    expect(decodingEveryone(reading(), reading({ frames: { b: 101, c: 100 } }), ['b', 'c'])).toBe(false);
    // After a rejoin the counters start again from zero: growth from there counts.
    expect(decodingEveryone(reading({ frames: {} }), reading({ frames: { b: 3, c: 2 } }), ['b', 'c'])).toBe(true);
    expect(decodingEveryone(reading(), reading({ status: 'joining', frames: { b: 200, c: 200 } }), ['b', 'c'])).toBe(false);
    expect(totalFrames(reading())).toBe(200);
  });
});

describe('summarizeScenario', () => {
  it('gives median and worst of the trials that recovered, and counts the ones that did not', () => {
    const s = summarizeScenario([
      { seconds: 2, extra: { framesDuring: 400, keptGrowing: true } },
      { seconds: null, extra: { framesDuring: 0, keptGrowing: false } },
      { seconds: 4, extra: { framesDuring: 600, keptGrowing: true } },
      { seconds: 3, extra: { keptGrowing: true } },
    ]);
    expect(s).toEqual({ trials: 4, recovered: 3, medianS: 3, worstS: 4, extras: { framesDuring: 400 }, flags: { keptGrowing: 3 } });
    expect(summarizeScenario([{ seconds: null }])).toMatchObject({ recovered: 0, medianS: null, worstS: null });
  });
});
