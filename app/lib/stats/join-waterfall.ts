// Turns a join's marks (app/lib/call/join-marks.ts) into a waterfall: one step per mark, each
// timed from the step before it, and the total from the start to the first decoded frame. Pure.
import { JOIN_MARKS, type JoinMarkName, type JoinMarks } from '../call/join-marks';

export const STEP_LABELS: Record<JoinMarkName, string> = {
  pageReady: 'page ready',
  media: 'camera and microphone',
  signaling: 'signaling connected',
  joined: 'join acknowledged',
  transports: 'media connected',
  firstFrame: 'first remote frame',
};

export interface WaterfallStep {
  name: JoinMarkName;
  label: string;
  /** When the step was reached, ms from the waterfall's start; null until it is. */
  atMs: number | null;
  /**
   * How long the step took: from the latest mark reached before it (`from`) to its own. Null
   * while it is not reached. A step reached before that mark (steps overlap: an SFU send
   * transport can connect after the first frame arrives) took 0 ms here; its `atMs` says when.
   */
  ms: number | null;
  /** The step its time is counted from ('start' for the first one reached). */
  from: JoinMarkName | 'start';
  /** reached; waiting (no mark yet: still under way, or not taken on this join). */
  state: 'reached' | 'waiting';
}

export interface JoinWaterfall {
  /** True when the start is the page's navigation (its first join), false for a join asked again. */
  fromNavigation: boolean;
  /** The start on the page's clock (ms since navigation): 0 when fromNavigation. */
  startMs: number;
  steps: WaterfallStep[];
  /** Start to the first decoded remote frame; null until it is decoded. */
  totalMs: number | null;
  /** Every step reached. */
  complete: boolean;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function joinWaterfall(marks: JoinMarks): JoinWaterfall {
  const start = marks.start;
  let cursor = start;
  let from: WaterfallStep['from'] = 'start';
  const steps = JOIN_MARKS.map((name): WaterfallStep => {
    const at = marks[name];
    if (at === undefined) return { name, label: STEP_LABELS[name], atMs: null, ms: null, from, state: 'waiting' };
    const step: WaterfallStep = { name, label: STEP_LABELS[name], atMs: round(at - start), ms: round(Math.max(0, at - cursor)), from, state: 'reached' };
    if (at >= cursor) {
      cursor = at;
      from = name;
    }
    return step;
  });
  const first = marks.firstFrame;
  return {
    fromNavigation: start === 0,
    startMs: round(start),
    steps,
    totalMs: first === undefined ? null : round(first - start),
    complete: steps.every((s) => s.state === 'reached'),
  };
}
