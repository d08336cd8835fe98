// What one participant's upload is made of over a window, from the app's own samples' `layers`
// (one entry per outbound video encoding: a mesh copy per peer, or an SFU simulcast layer) and
// its audio rate: the inputs of the upload cost model. Rates are time-weighted means of the
// app's per-interval kbps, as window-metrics does for the totals. Screen-share encodings are left
// out (the benchmark shares no screen). Pure.
import type { AppLayerSample, AppSample } from '../hooks';

export interface EncodingRate {
  /** connectionId/rid: one outbound video encoding. */
  key: string;
  rid: string | null;
  peerId: string | null;
  /** Frame size in the last sample that had one. */
  width: number | null;
  height: number | null;
  /** Mean kbps over the intervals where the encoding reported a rate. */
  kbps: number;
}

export interface LayerRates {
  audioKbps: number;
  videoKbps: number;
  encodings: EncodingRate[];
  /** Single-encoding camera streams (rid null): mesh's copies, one per peer. */
  copies: number;
  /** Mean kbps of one copy (over the copies); null without any. */
  perCopyKbps: number | null;
  /** Simulcast (rid set): the lowest-resolution layer's and the highest's kbps; null without simulcast. */
  lowKbps: number | null;
  highKbps: number | null;
}

const isCamera = (l: AppLayerSample) => (l as { source?: string }).source !== 'screen';
const keyOf = (l: AppLayerSample) => `${l.connectionId}/${l.rid ?? ''}`;

/** Σ rate·Δt / Σ Δt over the intervals where `rate` is known; NaN when none is. */
function weighted(ordered: readonly AppSample[], rate: (s: AppSample) => number | null | undefined): number {
  let sum = 0;
  let ms = 0;
  for (let i = 1; i < ordered.length; i++) {
    const r = rate(ordered[i]);
    const dt = ordered[i].timestamp - ordered[i - 1].timestamp;
    if (typeof r !== 'number' || !Number.isFinite(r) || dt <= 0) continue;
    sum += r * dt;
    ms += dt;
  }
  return ms > 0 ? sum / ms : NaN;
}

/** Null with fewer than two samples (no interval). */
export function layerRates(samples: readonly AppSample[]): LayerRates | null {
  const ordered = [...samples].sort((a, b) => a.timestamp - b.timestamp);
  if (ordered.length < 2) return null;
  const keys = new Map<string, AppLayerSample>();
  for (const s of ordered.slice(1)) {
    for (const l of s.layers) {
      if (!isCamera(l)) continue;
      const before = keys.get(keyOf(l));
      keys.set(keyOf(l), { ...l, width: l.width ?? before?.width ?? null, height: l.height ?? before?.height ?? null });
    }
  }
  const encodings: EncodingRate[] = [...keys.entries()]
    .map(([key, l]) => ({
      key,
      rid: l.rid,
      peerId: l.peerId,
      width: l.width,
      height: l.height,
      kbps: weighted(ordered, (s) => s.layers.find((x) => isCamera(x) && keyOf(x) === key)?.kbps),
    }))
    .filter((e) => Number.isFinite(e.kbps))
    .sort((a, b) => a.key.localeCompare(b.key));
  const copies = encodings.filter((e) => e.rid === null);
  const simulcast = encodings.filter((e) => e.rid !== null).sort(byResolution);
  return {
    audioKbps: orZero(weighted(ordered, (s) => s.upload.audioKbps)),
    videoKbps: orZero(weighted(ordered, (s) => s.upload.videoKbps)),
    encodings,
    copies: copies.length,
    perCopyKbps: copies.length ? copies.reduce((a, e) => a + e.kbps, 0) / copies.length : null,
    lowKbps: simulcast.length ? simulcast[0].kbps : null,
    highKbps: simulcast.length > 1 ? simulcast[simulcast.length - 1].kbps : null,
  };
}

const orZero = (v: number) => (Number.isFinite(v) ? v : 0);

/** Smallest frame first; without sizes, by rid (mediasoup-client lists layers lowest first: r0, r1, …). */
function byResolution(a: EncodingRate, b: EncodingRate): number {
  const pa = a.width !== null && a.height !== null ? a.width * a.height : null;
  const pb = b.width !== null && b.height !== null ? b.width * b.height : null;
  if (pa !== null && pb !== null && pa !== pb) return pa - pb;
  return (a.rid ?? '').localeCompare(b.rid ?? '');
}

/**
 * The browser's own bandwidth estimate for sending (availableOutgoingBitrate of each sending
 * connection's selected pair), kbps: the median over the window's samples of the median over the
 * connections that report one (mesh: one per peer; SFU: the send transport). Null when none does.
 * An encoder set never exceeds its connection's estimate, so a low one explains a low upload.
 */
export function outgoingEstimateKbps(samples: readonly AppSample[]): number | null {
  const perSample: number[] = [];
  for (const s of samples) {
    const vs = s.connectionStats.map((c) => c.availableOutgoingKbps).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (vs.length) perSample.push(middle(vs));
  }
  return perSample.length ? middle(perSample) : null;
}

function middle(vs: readonly number[]): number {
  const s = [...vs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
