// Pure maths of the auto-switch benchmark: per direction, how many switches completed, and the
// spread of the media gap (longest interval between frames in a tile that stayed) and of the time
// the switch took, over every switch of that direction.
import { summarize, type Summary } from './stats-math';

export type Direction = 'mesh→sfu' | 'sfu→mesh';

export interface SwitchRecord {
  direction: Direction;
  /** Every watcher ended the switch as done (not failed, not timed out). */
  completed: boolean;
  /** One per (watcher, remote tile that was there before): its longest gap between frames, ms. */
  gapsMs: number[];
  /** From the trigger (a join or a leave) to the last watcher's switch being done, ms. */
  triggerToDoneMs: number | null;
  /** From the decision reaching a page to its switch being done, the slowest watcher, ms. */
  decisionToDoneMs: number | null;
  note?: string;
}

export interface DirectionSummary {
  direction: Direction;
  switches: number;
  completed: number;
  /** Over switches: each switch's worst tile gap. */
  gapMs: Summary;
  triggerToDoneMs: Summary;
  decisionToDoneMs: Summary;
}

export function summarizeSwitches(records: readonly SwitchRecord[]): DirectionSummary[] {
  const directions: Direction[] = ['mesh→sfu', 'sfu→mesh'];
  return directions
    .map((direction) => {
      const mine = records.filter((r) => r.direction === direction);
      const done = mine.filter((r) => r.completed);
      return {
        direction,
        switches: mine.length,
        completed: done.length,
        gapMs: summarize(mine.filter((r) => r.gapsMs.length).map((r) => Math.max(...r.gapsMs))),
        triggerToDoneMs: summarize(done.flatMap((r) => (r.triggerToDoneMs === null ? [] : [r.triggerToDoneMs]))),
        decisionToDoneMs: summarize(done.flatMap((r) => (r.decisionToDoneMs === null ? [] : [r.decisionToDoneMs]))),
      };
    })
    .filter((s) => s.switches > 0);
}
