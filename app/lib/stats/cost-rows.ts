// The cost model's vocabulary: levels, rows and their verdicts, overhead lines, and the browser
// side's steady-state rule. Shared by the mesh and SFU models (cost-model.ts, cost-sfu.ts). Pure.
import type { Mode } from '../../../signaling/protocol';
import { moved, STEADY_MOVE, WINDOW_SAMPLES, windowMean } from './cost-window';
import type { Sample } from './sample';
import type { ReceivedRates, ServerAnswer } from './sharing';

/** payload: media bytes only; rtp: whole RTP packets (header, payload, padding); wire: the transport's bytes. */
export type Level = 'payload' | 'rtp' | 'wire';
/** settling: not steady, not judged; investigate: steady and off by more than ±INVESTIGATE_PCT; off: nothing expected, nothing sent. */
export type Verdict = 'ok' | 'investigate' | 'settling' | 'unknown' | 'off' | 'mismatch';

/** Beyond this, a steady-state error is a bug to find, not a number to display. */
export const INVESTIGATE_PCT = 15;

export interface Rate {
  level: Level;
  kbps: number | null;
}

export interface CostRow {
  /** Stable: the panel's data-testid is `cost-<id>`. */
  id: string;
  group: 'upload' | 'links' | 'egress';
  label: string;
  level: Level;
  expectedKbps: number | null;
  measuredKbps: number | null;
  errorPct: number | null;
  verdict: Verdict;
  /** Where each number comes from, in a few words (the panel's tooltip). */
  source: string;
}

/**
 * One direction of traffic from its first level up to the wire: the first step is what the rows
 * count (payload, or RTP for the SFU's egress), each next one what the next level adds (kbps).
 */
export interface OverheadLine {
  id: string;
  label: string;
  steps: { label: string; kbps: number | null }[];
  wireKbps: number | null;
  /** (wire - first step) / wire, %. */
  overheadPct: number | null;
}

export function overheadLine(id: string, label: string, steps: OverheadLine['steps'], wire: number | null): OverheadLine {
  const first = steps[0]?.kbps ?? null;
  return { id, label, steps, wireKbps: wire, overheadPct: wire && first !== null ? Math.round(((wire - first) / wire) * 1000) / 10 : null };
}

export interface CostReport {
  mode: Mode;
  n: number;
  steady: boolean;
  /** Why the rows are not judged yet, in words; null when steady. */
  settling: string | null;
  /** Our encodings: the b the model starts from (payload kbps). */
  b: { label: string; kbps: number | null }[];
  rows: CostRow[];
  overhead: OverheadLine[];
}

export interface CostInputs {
  mode: Mode;
  selfId: string;
  /** The collector's samples, oldest first. */
  samples: readonly Sample[];
  /** stats:server answers, oldest first (empty in mesh). */
  server?: readonly ServerAnswer[];
  /** What each peer said it received from whom, by peer id (stats:peer fromKbps), oldest first. */
  received?: Readonly<Record<string, readonly ReceivedRates[]>>;
}

export const errorPct = (measured: number | null, expected: number | null): number | null =>
  measured === null || expected === null || expected <= 0 ? null : Math.round(((measured - expected) / expected) * 1000) / 10;

const round1 = (v: number) => Math.round(v * 10) / 10;
export const sum = (values: (number | null | undefined)[]): number | null =>
  values.some((v) => v !== null && v !== undefined) ? round1(values.reduce<number>((a, v) => a + (v ?? 0), 0)) : null;

/** One row: the verdict follows from the two rates, their levels and whether the call is steady. */
export function compare(
  row: Omit<CostRow, 'level' | 'expectedKbps' | 'measuredKbps' | 'errorPct' | 'verdict'>,
  expected: Rate,
  measured: Rate,
  steady: boolean,
): CostRow {
  const base = { ...row, level: measured.level, expectedKbps: expected.kbps, measuredKbps: measured.kbps };
  // Payload against wire differs by the protocol overhead, not by a modelling error: refuse it.
  if (expected.level !== measured.level) return { ...base, errorPct: null, verdict: 'mismatch' };
  const error = errorPct(measured.kbps, expected.kbps);
  const off = (expected.kbps ?? 0) < 1 && (measured.kbps ?? 0) < 1 && expected.kbps !== null && measured.kbps !== null;
  const verdict: Verdict = off ? 'off' : error === null ? 'unknown' : !steady ? 'settling' : Math.abs(error) > INVESTIGATE_PCT ? 'investigate' : 'ok';
  return { ...base, errorPct: error, verdict };
}

/** Encodings of ours flowing in a sample (SFU: source|rid; mesh: one per link), sorted. */
const layerSet = (s: Sample) => s.layers.filter((l) => (l.kbps ?? 0) > 0).map((l) => `${l.source ?? 'camera'}|${l.rid ?? l.peerId ?? ''}`).sort().join(',');
export const participants = (s: Sample) => s.peers.filter((p) => p.inRoster).length + 1;

/**
 * Steady state on the browser side: over the last two windows of WINDOW_SAMPLES samples, the head
 * count and our flowing encodings did not change, and our upload payload moved less than 10 %.
 */
export function browserSteady(samples: readonly Sample[]): string | null {
  const recent = samples.slice(-(2 * WINDOW_SAMPLES + 1));
  if (recent.length < 2 * WINDOW_SAMPLES + 1) return `measuring: ${Math.max(0, recent.length - 1)} of ${2 * WINDOW_SAMPLES} s`;
  const last = recent.at(-1)!;
  if (recent.some((s) => participants(s) !== participants(last))) return 'someone joined or left';
  if (recent.slice(1).some((s) => layerSet(s) !== layerSet(last))) return 'our encodings changed (a layer or copy started or stopped)';
  const before = windowMean(recent.slice(0, WINDOW_SAMPLES + 1), (s) => s.upload.totalKbps);
  const after = windowMean(recent.slice(WINDOW_SAMPLES), (s) => s.upload.totalKbps);
  const m = moved(before, after);
  if (m !== null && m >= STEADY_MOVE) return `our upload moved ${Math.round(m * 100)} % between the last two ${WINDOW_SAMPLES} s windows`;
  return null;
}

/** Our outbound traffic by level over a window of samples: the overhead line of our upload. */
export function uploadOverhead(window: readonly Sample[], label: string): OverheadLine {
  const payload = windowMean(window, (s) => s.upload.totalKbps);
  const header = windowMean(window, (s) => s.protocol?.upHeaderKbps);
  const wire = windowMean(window, (s) => s.protocol?.upWireKbps);
  const rtp = sum([payload, header]);
  const resent = windowMean(window, (s) => s.protocol?.upRetransmittedKbps);
  return overheadLine('upload', label, [
    { label: resent ? `payload (${resent} kbps of it retransmitted)` : 'payload', kbps: payload },
    { label: 'RTP headers + padding', kbps: header },
    { label: 'RTCP, SRTP, ICE, DTLS, data', kbps: wire === null || rtp === null ? null : round1(wire - rtp) },
  ], wire);
}
