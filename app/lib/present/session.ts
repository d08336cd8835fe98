// A call session as the presentation view plots it: one point per stats sample (participants N,
// our upload, the per-stream bitrate b we receive), from a live call or a recorded JSON export.
// Pure; the cost model's expected upload per participant is computed here too.
import { z } from 'zod';
import { MODES, type Mode } from '../../../signaling/protocol';
import { median } from '../median';
import type { Sample } from '../stats/sample';

export interface SessionPoint {
  /** ms since the epoch */
  t: number;
  /** Participants in the call, us included. */
  n: number;
  uploadKbps: number | null;
  /** b: the median bitrate of one remote stream as we receive it (kbps), null before media. */
  streamKbps: number | null;
  /** The participant this point was measured by (live calls gather several tabs of a browser). */
  who?: string;
}

export interface Session {
  id: string;
  label: string;
  mode: Mode;
  points: SessionPoint[];
}

/** The median, or null with nothing to take it of (a chart leaves a gap rather than a NaN). */
function medianOf(values: number[]): number | null {
  return values.length ? median(values) : null;
}

/** What a point needs of a sample: a live Sample, or one read back from an export file. */
interface SampleLike {
  timestamp: Sample['timestamp'];
  upload: { totalKbps: number | null };
  peers: { kbps: number | null; inRoster?: boolean }[];
}

export function pointOf(sample: SampleLike): SessionPoint {
  // Exports recorded before inRoster existed list only the roster.
  const here = sample.peers.filter((p) => p.inRoster !== false);
  const streams = here.map((p) => p.kbps).filter((k): k is number => k !== null && k > 0);
  return { t: sample.timestamp, n: here.length + 1, uploadKbps: sample.upload.totalKbps, streamKbps: medianOf(streams) };
}

const exportSchema = z
  .array(
    z.object({
      timestamp: z.number(),
      mode: z.enum(MODES),
      upload: z.object({ totalKbps: z.number().nullable() }),
      peers: z.array(z.object({ kbps: z.number().nullable(), inRoster: z.boolean().optional() })),
    }),
  )
  .min(1, 'the file holds no samples');

/** A session from the stats panel's "Export JSON" file; throws an Error a person can read. */
export function sessionFromExport(text: string, label: string): Session {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${label} is not JSON: export it with the stats panel's "Export JSON" button`);
  }
  const parsed = exportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${label} is not a stats export (${issue.path.join('.') || 'file'}: ${issue.message})`);
  }
  const samples = parsed.data;
  return { id: `file:${label}`, label, mode: samples[0].mode, points: samples.map(pointOf) };
}

/** Per participant count: the median measured upload and the median per-stream bitrate b. */
export function byParticipants(points: readonly SessionPoint[]): { n: number; uploadKbps: number; streamKbps: number | null; samples: number }[] {
  const groups = new Map<number, SessionPoint[]>();
  for (const p of points) {
    if (p.uploadKbps === null || p.n < 2) continue;
    groups.set(p.n, [...(groups.get(p.n) ?? []), p]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, group]) => ({
      n,
      uploadKbps: median(group.map((p) => p.uploadKbps!)),
      streamKbps: medianOf(group.map((p) => p.streamKbps).filter((v): v is number => v !== null)),
      samples: group.length,
    }));
}

/**
 * The cost model per participant: mesh uploads one copy to each other participant, (N-1)·b; the SFU
 * one simulcast set whatever N, so its expected line is flat at the session's own median set size.
 */
export function expectedUpload(session: Session, n: number): number | null {
  const rows = byParticipants(session.points);
  if (session.mode === 'mesh') {
    const b = medianOf(rows.map((r) => r.streamKbps).filter((v): v is number => v !== null));
    return b === null ? null : (n - 1) * b;
  }
  return medianOf(rows.map((r) => r.uploadKbps));
}

/** The points of each participant, in time order (one series per tab that measured them). */
export function byParticipant(points: readonly SessionPoint[]): Map<string, SessionPoint[]> {
  const series = new Map<string, SessionPoint[]>();
  for (const p of points) series.set(p.who ?? '', [...(series.get(p.who ?? '') ?? []), p]);
  for (const list of series.values()) list.sort((a, b) => a.t - b.t);
  return series;
}

/**
 * Where the participant count changed: a join (+) or a leave (-), for markers on the timeline.
 * Read from the longest-running participant's series, so several tabs do not repeat each marker.
 */
export function joinLeaveMarkers(points: readonly SessionPoint[]): { t: number; n: number; delta: number }[] {
  const longest = [...byParticipant(points).values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const markers: { t: number; n: number; delta: number }[] = [];
  for (let i = 1; i < longest.length; i++) {
    const delta = longest[i].n - longest[i - 1].n;
    if (delta !== 0) markers.push({ t: longest[i].t, n: longest[i].n, delta });
  }
  return markers;
}
