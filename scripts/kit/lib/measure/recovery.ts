// Pure maths of the recovery benchmark: when does a room count as whole again and decoding again,
// and the per-scenario summary (median and worst over trials, failures counted, never hidden).
import { summarize } from './stats-math';

/** What one poll of a participant page says (a subset of the kit's probe reading). */
export interface RecoveryReading {
  status: string;
  signaling: string;
  selfId: string | null;
  roster: { name: string; reconnecting: boolean }[];
  /** Frames decoded so far from each remote peer, by display name. */
  frames: Record<string, number>;
}

/** Joined and connected, with exactly the expected others in the roster and none reconnecting. */
export function rosterWhole(r: RecoveryReading, others: readonly string[]): boolean {
  const names = r.roster.map((p) => p.name).sort();
  return (
    r.status === 'joined' &&
    r.signaling === 'connected' &&
    r.roster.every((p) => !p.reconnecting) &&
    names.length === others.length &&
    [...others].sort().every((name, i) => names[i] === name)
  );
}

/** Video from every other participant advanced between two polls (the picture moves). */
export function decodingEveryone(before: RecoveryReading, now: RecoveryReading, others: readonly string[]): boolean {
  return now.status === 'joined' && others.every((name) => (now.frames[name] ?? 0) > (before.frames[name] ?? 0));
}

/** Sum of the frames decoded from everyone, per participant. */
export const totalFrames = (r: RecoveryReading): number => Object.values(r.frames).reduce((a, b) => a + b, 0);

export interface TrialResult {
  /** Seconds to recover, or null when the trial did not recover within its timeout. */
  seconds: number | null;
  /** Scenario-specific figures (frames during an outage, whether counts kept growing, …). */
  extra?: Record<string, number | boolean>;
  note?: string;
}

export interface ScenarioSummary {
  trials: number;
  recovered: number;
  medianS: number | null;
  worstS: number | null;
  /** Median of every numeric extra over the trials that reported it. */
  extras: Record<string, number>;
  /** Extras that are booleans: in how many trials each was true. */
  flags: Record<string, number>;
}

export function summarizeScenario(results: readonly TrialResult[]): ScenarioSummary {
  const times = results.flatMap((r) => (r.seconds === null ? [] : [r.seconds]));
  const s = summarize(times);
  const extras: Record<string, number> = {};
  const flags: Record<string, number> = {};
  const keys = new Set(results.flatMap((r) => Object.keys(r.extra ?? {})));
  for (const key of keys) {
    const values = results.map((r) => r.extra?.[key]).filter((v) => v !== undefined);
    if (values.every((v) => typeof v === 'boolean')) flags[key] = values.filter(Boolean).length;
    else extras[key] = summarize(values.filter((v): v is number => typeof v === 'number')).p50;
  }
  return {
    trials: results.length,
    recovered: times.length,
    medianS: s.n ? s.p50 : null,
    worstS: s.n ? s.max : null,
    extras,
    flags,
  };
}
