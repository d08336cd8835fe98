// Pure maths over the app's own samples (exportSamples()) of one participant inside a window:
// upload/download as the time-weighted mean of the app's per-interval rates, decoded fps, freezes
// and active encoders from its cumulative counters, paths and quality limits from the last sample.
import type { AppPeerSample, AppSample } from '../hooks';
import { median } from './stats-math';

export interface RemoteWindow {
  id: string;
  name: string;
  /** Total frames decoded from this peer at the end of the window. */
  framesDecoded: number;
  /** False: video arrives from a peer the page's roster does not list (an app-side roster gap). */
  inRoster: boolean;
  /** Frames decoded per second over the part of the window the peer was there. */
  fps: number;
  /** Freezes that started inside the window; null when the browser does not report them. */
  freezes: number | null;
  freezeSeconds: number | null;
  resolution: string | null;
}

export interface ParticipantWindow {
  /** From the first (baseline) sample to the last, by the page's clock. */
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
  /** Median peer-to-peer ping RTT over the call's own path; null without one. */
  pingMs: number | null;
  localCandidateTypes: string[];
  /** qualityLimitationReason → outbound video layers reporting it in the last sample. */
  qualityLimitation: Record<string, number>;
  /** Browser process tree CPU, percent of one core; null without /proc data. */
  cpuPct: number | null;
}

/** CPU seconds of the browser at the window's ends, and the wall time between those reads. */
export interface CpuWindow {
  a: number | null;
  b: number | null;
  seconds: number;
}

/**
 * Metrics over `samples` (at least two, the first being the baseline taken at the window's start).
 * Null with fewer: there is no interval to measure.
 */
export function windowMetrics(samples: readonly AppSample[], cpu?: CpuWindow): ParticipantWindow | null {
  const ordered = [...samples].sort((x, y) => x.timestamp - y.timestamp);
  if (ordered.length < 2) return null;
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  const seconds = (last.timestamp - first.timestamp) / 1000;
  const rtts = finite(last.connectionStats.map((c) => c.rttMs));
  const pings = finite(Object.values(last.pingRtt));
  return {
    seconds,
    uploadKbps: weightedRate(ordered, (s) => s.upload.totalKbps),
    downloadKbps: weightedRate(ordered, (s) => s.download.totalKbps),
    connections: last.connections,
    uploadConnections: last.uploadConnections,
    ...encoders(ordered),
    remotes: last.peers.map((p) => remoteWindow(ordered, p)).sort((x, y) => x.name.localeCompare(y.name)),
    rttMs: rtts.length > 0 ? median(rtts) : null,
    pingMs: pings.length > 0 ? median(pings) : null,
    localCandidateTypes: [...new Set(last.connectionStats.map((c) => c.localCandidateType).filter((v): v is string => !!v))].sort(),
    qualityLimitation: countBy(last.layers.map((l) => l.qualityLimitationReason)),
    cpuPct: cpu && cpu.a !== null && cpu.b !== null && cpu.seconds > 0 ? (100 * (cpu.b - cpu.a)) / cpu.seconds : null,
  };
}

const finite = (vs: (number | null | undefined)[]) => vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** How much a cumulative counter grew from a to b; a drop means a new stream counting from 0. */
export function counterIncrease(a: number, b: number): number {
  return b >= a ? b - a : b;
}

/**
 * Σ rate·Δt / Σ Δt over the window's intervals, each sample's rate covering the time since the one
 * before (the app's own interval). Intervals without a rate are left out; 0 when none has one.
 * The app's rates are per-stream deltas that are never negative, so neither is this mean.
 */
function weightedRate(ordered: readonly AppSample[], rate: (s: AppSample) => number | null): number {
  let sum = 0;
  let ms = 0;
  for (let i = 1; i < ordered.length; i++) {
    const r = rate(ordered[i]);
    const dt = ordered[i].timestamp - ordered[i - 1].timestamp;
    if (r === null || !Number.isFinite(r) || dt <= 0) continue;
    sum += r * dt;
    ms += dt;
  }
  return ms > 0 ? sum / ms : 0;
}

/** Per interval where the peer is in both samples: its presence and its counters' growth. */
function remoteWindow(ordered: readonly AppSample[], end: AppPeerSample): RemoteWindow {
  let presentMs = 0;
  let frames = 0;
  let freezes = 0;
  let freezeSeconds = 0;
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1].peers.find((p) => p.id === end.id);
    const b = ordered[i].peers.find((p) => p.id === end.id);
    if (!a || !b) continue;
    presentMs += ordered[i].timestamp - ordered[i - 1].timestamp;
    frames += counterIncrease(a.framesDecoded ?? 0, b.framesDecoded ?? 0);
    freezes += counterIncrease(a.freezeCount ?? 0, b.freezeCount ?? 0);
    freezeSeconds += counterIncrease(a.freezeSeconds ?? 0, b.freezeSeconds ?? 0);
  }
  return {
    id: end.id,
    name: end.name,
    framesDecoded: end.framesDecoded ?? 0,
    inRoster: end.inRoster,
    fps: presentMs > 0 ? frames / (presentMs / 1000) : 0,
    freezes: end.freezeCount === null ? null : freezes,
    freezeSeconds: end.freezeSeconds === null ? null : freezeSeconds,
    resolution: end.width && end.height ? `${end.width}x${end.height}` : null,
  };
}

/** Layers of the last sample, and those of them whose framesEncoded grew (or, unreported, that sent bytes). */
function encoders(ordered: readonly AppSample[]): { activeEncoders: number; outboundVideoStreams: number } {
  const key = (l: AppSample['layers'][number]) => `${l.connectionId}/${l.rid ?? ''}`;
  const layers = ordered[ordered.length - 1].layers;
  const active = layers.filter((layer) => {
    for (let i = 1; i < ordered.length; i++) {
      const a = ordered[i - 1].layers.find((l) => key(l) === key(layer));
      const b = ordered[i].layers.find((l) => key(l) === key(layer));
      if (!b) continue;
      if (a && a.framesEncoded !== null && b.framesEncoded !== null) {
        if (counterIncrease(a.framesEncoded, b.framesEncoded) > 0) return true;
      } else if ((b.kbps ?? 0) > 0) {
        return true;
      }
    }
    return false;
  });
  return { activeEncoders: active.length, outboundVideoStreams: layers.length };
}

function countBy(values: (string | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v) out[v] = (out[v] ?? 0) + 1;
  return out;
}
