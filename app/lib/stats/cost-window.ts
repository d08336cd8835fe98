// The cost model's measurement windows: browser rates averaged over a few 1 Hz samples, the SFU's
// rates from the byte counters of two stats:server answers, and the steady-state rule that says
// when comparing them means anything. Pure.
import type { ServerPeerRates } from '../../../signaling/protocol';
import type { Sample } from './sample';
import type { ServerAnswer } from './sharing';

/** How many 1 Hz samples one browser window spans, and how far a rate may move between two windows. */
export const WINDOW_SAMPLES = 5;
export const STEADY_MOVE = 0.2;
/** The SFU window: two answers at least this far apart (answers come every ~2 s). */
export const SERVER_WINDOW_MS = 3_500;

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The interval-weighted mean of a per-interval rate over samples (the first only opens the window). */
export function windowMean(samples: readonly Sample[], pick: (s: Sample) => number | null | undefined): number | null {
  let sum = 0;
  let ms = 0;
  for (let i = 1; i < samples.length; i++) {
    const v = pick(samples[i]);
    if (v === null || v === undefined) continue;
    const dt = samples[i].timestamp - samples[i - 1].timestamp;
    sum += v * dt;
    ms += dt;
  }
  return ms > 0 ? round1(sum / ms) : null;
}

/** The samples whose intervals cover (from, to]: the last one at or before `from`, up to the last at or before `to`. */
export function samplesBetween(samples: readonly Sample[], from: number, to: number): Sample[] {
  const start = samples.findLastIndex((s) => s.timestamp <= from);
  const end = samples.findLastIndex((s) => s.timestamp <= to);
  return start < 0 || end <= start ? [] : samples.slice(start, end + 1);
}

/** What a counter key means, for the SFU rows (producer streams and consumers). */
export interface ServerCounter {
  bytes: number;
  at: number;
  peerId: string;
  kind?: 'audio' | 'video';
  source?: string;
  rid?: string | null;
  producerId?: string;
  producerPeerId?: string | null;
  paused?: boolean;
}

/**
 * One answer as flat cumulative counters: `peer:<id>:{in,out,rtpIn,rtpOut,rtxOut,probe}`,
 * `stream:<producerId>:<rid>` (what the SFU receives per layer), `consumer:<id>` (what it forwards).
 */
export function serverCounters(rates: readonly ServerPeerRates[], fallbackAt: number): Map<string, ServerCounter> {
  const out = new Map<string, ServerCounter>();
  for (const p of rates) {
    const at = p.at ?? fallbackAt;
    const peer = (name: string, bytes: number | undefined) => bytes !== undefined && out.set(`peer:${p.peerId}:${name}`, { bytes, at, peerId: p.peerId });
    peer('in', p.bytesReceived);
    peer('out', p.bytesSent);
    peer('rtpIn', p.rtpBytesReceived);
    peer('rtxIn', p.rtxBytesReceived);
    peer('rtpOut', p.rtpBytesSent);
    peer('rtxOut', p.rtxBytesSent);
    peer('probe', p.probationBytesSent);
    for (const producer of p.producers ?? []) {
      for (const s of producer.streams) {
        out.set(`stream:${producer.id}:${s.rid ?? ''}`, { bytes: s.byteCount, at, peerId: p.peerId, kind: producer.kind, source: producer.source, rid: s.rid, producerId: producer.id });
      }
    }
    for (const c of p.consumers ?? []) {
      out.set(`consumer:${c.id}`, {
        bytes: c.byteCount, at, peerId: p.peerId, kind: c.kind, rid: c.rid, producerId: c.producerId, producerPeerId: c.producerPeerId, paused: c.paused,
      });
    }
  }
  return out;
}

/** Rates (kbps) between two answers' counters: a key missing from the older one has no rate yet. */
export interface ServerWindow {
  from: ServerAnswer;
  to: ServerAnswer;
  /** kbps by counter key, with the newer answer's meaning of the key. */
  rates: Map<string, ServerCounter & { kbps: number }>;
  /** Counters (consumers, streams) that appeared, vanished or changed layer inside the window. */
  changed: string[];
}

export function serverWindow(from: ServerAnswer, to: ServerAnswer): ServerWindow {
  const a = serverCounters(from.rates, from.receivedAt);
  const z = serverCounters(to.rates, to.receivedAt);
  const rates = new Map<string, ServerCounter & { kbps: number }>();
  const changed: string[] = [];
  for (const [key, now] of z) {
    const before = a.get(key);
    if (!before || now.at <= before.at) {
      if (key.startsWith('consumer:') || key.startsWith('stream:')) changed.push(key);
      continue;
    }
    if (key.startsWith('consumer:') && (before.rid !== now.rid || before.paused !== now.paused)) changed.push(key);
    rates.set(key, { ...now, kbps: round1((Math.max(0, now.bytes - before.bytes) * 8) / (now.at - before.at)) });
  }
  for (const key of a.keys()) if (!z.has(key) && key.startsWith('consumer:')) changed.push(key);
  return { from, to, rates, changed };
}

/**
 * When an answer was measured, on our clock: the server's own stamp when it is within 5 s of ours
 * (same host, or synced clocks), else when the answer arrived (a stamp late by the round trip).
 */
export function measuredAt(answer: ServerAnswer): number {
  const at = answer.rates.find((p) => p.at !== undefined)?.at;
  return at !== undefined && Math.abs(answer.receivedAt - at) < 5_000 ? at : answer.receivedAt;
}

/** The newest answer and the latest one at least SERVER_WINDOW_MS before it; null until there are two. */
export function latestServerWindow(history: readonly ServerAnswer[], before = history.length - 1): ServerWindow | null {
  const to = history[before];
  if (!to) return null;
  for (let i = before - 1; i >= 0; i--) if (measuredAt(to) - measuredAt(history[i]) >= SERVER_WINDOW_MS) return serverWindow(history[i], to);
  return null;
}

/** Sum of the window's rates over keys that pass `keep`. */
export function sumRates(w: ServerWindow, keep: (key: string, c: ServerCounter) => boolean): number {
  let sum = 0;
  for (const [key, c] of w.rates) if (keep(key, c)) sum += c.kbps;
  return round1(sum);
}

/** How much a rate moved between two windows, as a fraction of the larger; null without both. */
export function moved(before: number | null, after: number | null): number | null {
  if (before === null || after === null) return null;
  const top = Math.max(before, after);
  return top <= 0 ? 0 : Math.abs(after - before) / top;
}
