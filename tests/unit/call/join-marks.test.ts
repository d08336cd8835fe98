// The join's marks (app/lib/call/join-marks.ts): the first time of each mark counts, even a mark at
// 0, the input is never changed, and every new mark also lands on the performance timeline.
import { afterEach, describe, expect, it } from 'vitest';
import { JOIN_MARKS, pageNow, withMark, type JoinMarks } from '../../../app/lib/call/join-marks';

afterEach(() => performance.clearMarks());

describe('withMark', () => {
  it('keeps the first time of a mark, also when that time is 0, and leaves the input alone', () => {
    const start: JoinMarks = { start: 0 };
    const a = withMark(start, 'pageReady', 0);
    expect(start).toEqual({ start: 0 });
    expect(a).toEqual({ start: 0, pageReady: 0 });
    // A second connection or a rejoin must not move the mark: same object back, nothing to re-render.
    expect(withMark(a, 'pageReady', 250)).toBe(a);
    const b = withMark(a, 'firstFrame', 400);
    expect(withMark(b, 'firstFrame', 900).firstFrame).toBe(400);
    expect(b).toEqual({ start: 0, pageReady: 0, firstFrame: 400 });
  });

  it('stamps a mark with the page clock when no time is given, and names it on the performance timeline', () => {
    const before = pageNow();
    const m = withMark({ start: 0 }, 'joined');
    expect(m.joined).toBeGreaterThanOrEqual(before);
    expect(m.joined).toBeLessThanOrEqual(pageNow());
    withMark(m, 'joined', 5); // kept: no second entry
    withMark(m, 'media', 12.5);
    expect(performance.getEntriesByName('join:joined')).toHaveLength(1);
    expect(performance.getEntriesByName('join:media')[0]?.startTime).toBe(12.5);
  });

  it('lists the marks in the order a join reaches them', () => {
    expect(JOIN_MARKS).toEqual(['pageReady', 'media', 'signaling', 'joined', 'transports', 'firstFrame']);
  });
});
