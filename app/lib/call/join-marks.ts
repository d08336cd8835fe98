// The moments of one join, as the page and the engine reach them (the "time to first frame"
// waterfall); app/lib/stats/join-waterfall.ts turns them into steps. Times are the page's
// performance.now(): ms since its navigation started, so navigation itself is 0.

/** In the order a join normally reaches them (steps may overlap: see join-waterfall.ts). */
export const JOIN_MARKS = ['pageReady', 'media', 'signaling', 'joined', 'transports', 'firstFrame'] as const;
export type JoinMarkName = (typeof JOIN_MARKS)[number];

export interface JoinMarks extends Partial<Record<JoinMarkName, number>> {
  /**
   * Where this join's waterfall starts: 0 for the page's first join (its navigation); for a join
   * started again from the page (Try again, Rejoin), the moment it was asked for.
   */
  start: number;
}

/** The page's clock; 0 outside a browser (unit tests pass their own). */
export function pageNow(): number {
  return globalThis.performance?.now() ?? 0;
}

/**
 * Adds one mark, keeping the first time of each (a rejoin or a second connection does not move
 * it: the waterfall is about the join). Returns the same object when nothing changed, so a
 * snapshot store can skip the update.
 */
export function withMark(marks: JoinMarks, name: JoinMarkName, at: number = pageNow()): JoinMarks {
  if (marks[name] !== undefined) return marks;
  // Also on the browser's own performance timeline, so DevTools' Performance panel shows them.
  globalThis.performance?.mark?.(`join:${name}`, { startTime: at });
  return { ...marks, [name]: at };
}
