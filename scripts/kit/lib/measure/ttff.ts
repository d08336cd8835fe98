// Time to first frame over repeated joins: p50/p95 of each waterfall step and of the total, per
// mode and participant count, from the waterfalls the app exposes (getSnapshot().joinWaterfall).
// The kit recomputes nothing of a join: it only summarizes what the pages measured. Pure.
import type { AppJoinWaterfall } from '../hooks';
import { summarize, type Summary } from './stats-math';

export interface TtffRun {
  mode: string;
  /** Participants in the call once the measured one joined. */
  peers: number;
  /** 1-based; warm-up runs are not kept. */
  run: number;
  /** The measured page's waterfall, or null when its join did not complete. */
  waterfall: AppJoinWaterfall | null;
  /** Why the run has no complete waterfall. */
  error?: string;
}

/** The goal for a two-person call on loopback (navigation → first decoded frame). */
export const TTFF_GOAL = { p50Ms: 700, p95Ms: 1500 } as const;

export interface StepSummary {
  name: string;
  label: string;
  ms: Summary;
  /** When the step was reached, from navigation. */
  atMs: Summary;
}

export interface TtffSummary {
  mode: string;
  peers: number;
  runs: number;
  /** Runs with a decoded first frame (the total's n). */
  completed: number;
  steps: StepSummary[];
  totalMs: Summary;
  /** p50 and p95 of the total within TTFF_GOAL (judged for 2-person calls only). */
  goalMet: boolean | null;
}

/** One summary per (mode, peers) in first-seen order. */
export function summarizeTtff(runs: readonly TtffRun[]): TtffSummary[] {
  const groups = new Map<string, TtffRun[]>();
  for (const r of runs) {
    const key = `${r.mode}/${r.peers}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const falls = group.map((r) => r.waterfall).filter((w): w is AppJoinWaterfall => !!w);
    const names = falls[0]?.steps.map((s) => ({ name: s.name, label: s.label })) ?? [];
    const steps = names.map(({ name, label }): StepSummary => {
      const of = (pick: (s: AppJoinWaterfall['steps'][number]) => number | null) =>
        summarize(falls.map((w) => w.steps.find((s) => s.name === name)).flatMap((s) => (s && pick(s) !== null ? [pick(s)!] : [])));
      return { name, label, ms: of((s) => s.ms), atMs: of((s) => s.atMs) };
    });
    const totalMs = summarize(falls.flatMap((w) => (w.totalMs === null ? [] : [w.totalMs])));
    const { mode, peers } = group[0];
    const goalMet = peers === 2 && totalMs.n > 0 ? totalMs.p50 <= TTFF_GOAL.p50Ms && totalMs.p95 <= TTFF_GOAL.p95Ms : null;
    return { mode, peers, runs: group.length, completed: totalMs.n, steps, totalMs, goalMet };
  });
}

const ms = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '-');

/** A Markdown table: one row per step and the total, p50 / p95 per (mode, peers) column. */
export function ttffTable(summaries: readonly TtffSummary[]): string {
  if (summaries.length === 0) return '(no runs)';
  const head = ['step', ...summaries.map((s) => `${s.mode} N=${s.peers} p50 / p95 ms`)];
  const rows = summaries[0].steps.map((step) => [
    step.label,
    ...summaries.map((s) => {
      const st = s.steps.find((x) => x.name === step.name);
      return st ? `${ms(st.ms.p50)} / ${ms(st.ms.p95)}` : '-';
    }),
  ]);
  rows.push(['**total** (navigation → first frame)', ...summaries.map((s) => `**${ms(s.totalMs.p50)} / ${ms(s.totalMs.p95)}**`)]);
  rows.push(['completed runs', ...summaries.map((s) => `${s.completed}/${s.runs}`)]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
