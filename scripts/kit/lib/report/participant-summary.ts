// The participants CLI's human summary: one line per participant and one per remote peer.
import type { ParticipantWindow } from '../measure/window-metrics';

const fmt = (v: number | null, digits = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/** "bot1: up 650 kbps, down 640 kbps, …" then "    from bot2: 450 frames, 14.9 fps, freezes 0 (0.0 s), 640x360". */
export function formatParticipant(name: string, w: ParticipantWindow, joinMs: number | null): string {
  const head =
    `${name}: up ${fmt(w.uploadKbps)} kbps, down ${fmt(w.downloadKbps)} kbps, rtt ${fmt(w.rttMs, 1)} ms, ` +
    `join ${joinMs === null ? '-' : `${fmt(joinMs)} ms`}, encoders ${w.activeEncoders}/${w.outboundVideoStreams}, ` +
    `cpu ${w.cpuPct === null ? '-' : `${fmt(w.cpuPct)}%`}, paths ${w.localCandidateTypes.join('+') || '-'}`;
  const reasons = Object.keys(w.qualityLimitation).filter((r) => r !== 'none');
  const quality = reasons.length ? `, limited by ${reasons.join('+')}` : '';
  const rows = w.remotes.map(
    (r) =>
      `    from ${r.name}${r.inRoster ? '' : ' (not in roster)'}: ${r.framesDecoded} frames, ${fmt(r.fps, 1)} fps, ` +
      `freezes ${r.freezes === null ? '-' : `${r.freezes} (${fmt(r.freezeSeconds, 1)} s)`}, ${r.resolution ?? '-'}`,
  );
  return [head + quality, ...rows].join('\n');
}
