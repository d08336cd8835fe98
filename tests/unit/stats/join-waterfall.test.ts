// The join waterfall's maths (app/lib/stats/join-waterfall.ts): steps timed from the mark before
// them, missing and overlapping marks, the total, and a join started again from the page.
import { describe, expect, it } from 'vitest';
import { withMark, type JoinMarks } from '../../../app/lib/call/join-marks';
import { joinWaterfall } from '../../../app/lib/stats/join-waterfall';

const full: JoinMarks = { start: 0, pageReady: 180, media: 260, signaling: 290, joined: 300, transports: 420, firstFrame: 510 };
const durations = (marks: JoinMarks) => joinWaterfall(marks).steps.map((s) => s.ms);

describe('joinWaterfall', () => {
  it('times each step from the one before and the total from navigation', () => {
    const w = joinWaterfall(full);
    expect(w.steps.map((s) => [s.name, s.atMs, s.ms, s.from])).toEqual([
      ['pageReady', 180, 180, 'start'],
      ['media', 260, 80, 'pageReady'],
      ['signaling', 290, 30, 'media'],
      ['joined', 300, 10, 'signaling'],
      ['transports', 420, 120, 'joined'],
      ['firstFrame', 510, 90, 'transports'],
    ]);
    expect(w).toMatchObject({ fromNavigation: true, startMs: 0, totalMs: 510, complete: true });
    // In order, the steps add up to the total.
    expect(w.steps.reduce((sum, s) => sum + (s.ms ?? 0), 0)).toBe(510);
  });

  it('leaves steps not reached yet as waiting, with no time and no total', () => {
    const w = joinWaterfall({ start: 0, pageReady: 200, media: 300 });
    expect(w.steps.map((s) => s.state)).toEqual(['reached', 'reached', 'waiting', 'waiting', 'waiting', 'waiting']);
    expect(w.steps[2]).toMatchObject({ atMs: null, ms: null, from: 'media' });
    expect(w).toMatchObject({ totalMs: null, complete: false });
  });

  it('times a step after a missing one from the last mark that exists, and names it', () => {
    // Signaling connected unseen (say, a page that recorded nothing for it): joined counts from media.
    const { signaling: _, ...marks } = full;
    const w = joinWaterfall(marks);
    expect(w.steps.find((s) => s.name === 'signaling')).toMatchObject({ state: 'waiting', ms: null });
    expect(w.steps.find((s) => s.name === 'joined')).toMatchObject({ ms: 40, from: 'media' });
    expect(w).toMatchObject({ totalMs: 510, complete: false });
  });

  it('counts a step reached before an earlier one as 0 ms, keeping when it was reached', () => {
    // An SFU send transport that connects after the first frame was decoded.
    const w = joinWaterfall({ ...full, transports: 600 });
    expect(w.steps.find((s) => s.name === 'transports')).toMatchObject({ atMs: 600, ms: 300, from: 'joined' });
    expect(w.steps.find((s) => s.name === 'firstFrame')).toMatchObject({ atMs: 510, ms: 0, from: 'transports' });
    expect(w.totalMs).toBe(510);
  });

  it('counts the step after an early one from the latest mark, not from the early one', () => {
    // Camera and mic ready before the page (early getUserMedia): signaling counts from page ready.
    const w = joinWaterfall({ ...full, pageReady: 300, media: 260, signaling: 320 });
    expect(w.steps.slice(0, 3).map((s) => [s.name, s.atMs, s.ms, s.from])).toEqual([
      ['pageReady', 300, 300, 'start'],
      ['media', 260, 0, 'pageReady'],
      ['signaling', 320, 20, 'pageReady'],
    ]);
  });

  it('starts a join asked again from the page at its own start, not at navigation', () => {
    const w = joinWaterfall({ start: 10_000, media: 10_050.04, signaling: 10_070, joined: 10_080, transports: 10_200, firstFrame: 10_300 });
    expect(w).toMatchObject({ fromNavigation: false, startMs: 10_000, totalMs: 300 });
    expect(w.steps[0]).toMatchObject({ name: 'pageReady', state: 'waiting' });
    expect(durations({ start: 10_000, media: 10_050.04 })[1]).toBe(50);
  });
});

describe('withMark', () => {
  it('keeps the first time of each mark and returns the same object when nothing changed', () => {
    const a = withMark({ start: 0 }, 'signaling', 100);
    expect(a).toEqual({ start: 0, signaling: 100 });
    expect(withMark(a, 'signaling', 900)).toBe(a);
    expect(withMark(a, 'joined', 120)).toEqual({ start: 0, signaling: 100, joined: 120 });
  });
});
