// One read of a participant page through the app's documented hooks (lib/hooks.ts): status and
// error from getSnapshot(), frames per peer from getStats(), the latest 1 Hz sample from getSample().
// The kit computes no stats here; the scripts are plain JS strings because functions compiled by
// tsx may carry helpers the page lacks.
import type { AppSample, CallError } from '../hooks';

export interface ProbeReading {
  /** Node-side clock when the read finished, ms (performance.now()). */
  t: number;
  status: string;
  /** The signaling phase: connected | reconnecting | resuming | rejoining | failed. */
  signaling: string;
  selfId: string | null;
  error: CallError | null;
  /** The page's roster (snapshot.peers). */
  roster: { id: string; name: string; reconnecting: boolean }[];
  /**
   * Frames decoded per roster peer, from getStats(): read fresh on every poll, so join times are
   * not rounded up to the collector's 1 Hz samples.
   */
  frames: { id: string; name: string; framesDecoded: number }[];
  /** getSample(): the latest normalized sample, null before the collector's first one. */
  sample: AppSample | null;
}

export const READ_JS = `(async () => {
  const c = window.__call;
  if (!c || typeof c.getSnapshot !== 'function') return null;
  const snap = c.getSnapshot();
  const stats = await c.getStats();
  return {
    status: snap.status,
    signaling: snap.signaling,
    selfId: snap.selfId,
    error: snap.error ? { code: snap.error.code, message: snap.error.message } : null,
    roster: snap.peers.map((p) => ({ id: p.id, name: p.name, reconnecting: !!p.reconnecting })),
    frames: stats.peers.map((p) => ({ id: p.id, name: p.name, framesDecoded: p.framesDecoded })),
    sample: typeof c.getSample === 'function' ? c.getSample() : null,
  };
})()`;

/** Every sample of the session (the collector's ring buffer, oldest first). */
export const EXPORT_SAMPLES_JS = `(() => {
  const c = window.__call;
  return c && typeof c.exportSamples === 'function' ? c.exportSamples() : [];
})()`;

/** Frames decoded from each remote peer, by display name (for printing). */
export function framesByName(r: Pick<ProbeReading, 'frames'>): Record<string, number> {
  return Object.fromEntries(r.frames.map((p) => [p.name, p.framesDecoded]));
}

/** Remote peers this participant has decoded at least one frame from. */
export function decodingPeers(r: ProbeReading): number {
  return r.frames.filter((p) => p.framesDecoded > 0).length;
}
