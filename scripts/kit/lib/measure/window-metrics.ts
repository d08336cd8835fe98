// Pure maths over two probe samples of one participant: rates over the window between them
// (upload/download kbps, decoded fps per remote, freezes, active encoders, CPU).
import { median } from './stats-math';
import type { ProbeSample } from '../browser/probe';

export interface RemoteWindow {
  id: string;
  name: string;
  /** Total frames decoded from this peer at the end of the window. */
  framesDecoded: number;
  /** False: video arrives from a peer the page's roster does not list (an app-side roster gap). */
  inRoster: boolean;
  fps: number;
  /** Freezes that started inside the window; null when the browser does not report them. */
  freezes: number | null;
  freezeSeconds: number | null;
  resolution: string | null;
}

export interface ParticipantWindow {
  seconds: number;
  uploadKbps: number;
  downloadKbps: number;
  connections: number;
  uploadConnections: number;
  /** Outbound video streams (encodings) that encoded frames during the window. */
  activeEncoders: number;
  outboundVideoStreams: number;
  remotes: RemoteWindow[];
  /** Median over this participant's connections' selected-pair RTTs; null before any. */
  rttMs: number | null;
  /** Median peer-to-peer ping RTT over the call's own path (the app's stats sample); null without. */
  pingMs?: number | null;
  localCandidateTypes: string[];
  qualityLimitation: Record<string, number>;
  /** Browser process tree CPU, percent of one core; null without /proc data. */
  cpuPct: number | null;
}

const kbps = (bytes: number, seconds: number) => (seconds > 0 ? (bytes * 8) / seconds / 1000 : 0);

export function windowMetrics(
  a: ProbeSample,
  b: ProbeSample,
  cpu: { a: number | null; b: number | null } = { a: null, b: null },
): ParticipantWindow {
  const seconds = (b.t - a.t) / 1000;
  const remotes: RemoteWindow[] = Object.entries(b.peers)
    .map(([id, p]) => {
      const before = a.peers[id];
      const frames0 = before?.framesDecoded ?? 0;
      const freezes = p.freezeCount === null ? null : p.freezeCount - (before?.freezeCount ?? 0);
      const freezeSeconds = p.totalFreezesDurationS === null ? null : p.totalFreezesDurationS - (before?.totalFreezesDurationS ?? 0);
      return {
        id,
        name: p.name,
        framesDecoded: p.framesDecoded,
        inRoster: p.inRoster,
        fps: seconds > 0 ? (p.framesDecoded - frames0) / seconds : 0,
        freezes,
        freezeSeconds,
        resolution: p.frameWidth && p.frameHeight ? `${p.frameWidth}x${p.frameHeight}` : null,
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
  const encoderKeys = Object.keys(b.encoders);
  const rtts = b.paths.map((p) => p.rttMs).filter((v): v is number => typeof v === 'number');
  return {
    seconds,
    uploadKbps: kbps(b.bytesSent - a.bytesSent, seconds),
    downloadKbps: kbps(b.bytesReceived - a.bytesReceived, seconds),
    connections: b.connections,
    uploadConnections: b.uploadConnections,
    activeEncoders: encoderKeys.filter((k) => b.encoders[k] > (a.encoders[k] ?? 0)).length,
    outboundVideoStreams: encoderKeys.length,
    remotes,
    rttMs: rtts.length > 0 ? median(rtts) : null,
    pingMs: pingMedian(b.appSample),
    localCandidateTypes: [...new Set(b.paths.map((p) => p.localCandidateType).filter((v): v is string => !!v))].sort(),
    qualityLimitation: { ...b.qualityLimitation },
    cpuPct: cpu.a !== null && cpu.b !== null && seconds > 0 ? (100 * (cpu.b - cpu.a)) / seconds : null,
  };
}

const fmt = (v: number | null, digits = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/** One human line per remote: "p2 450 frames 14.9 fps 0 freezes". */
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

/** The app's own sample carries pingRtt per peer (see the README's QA contract). */
function pingMedian(appSample: unknown): number | null {
  const ping = (appSample as { pingRtt?: Record<string, number | null> } | null)?.pingRtt;
  const values = Object.values(ping ?? {}).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length > 0 ? median(values) : null;
}
