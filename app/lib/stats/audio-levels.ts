// How loud each participant was over the last stats interval, read off raw getStats() reports of
// either mode: the remote peers from our inbound audio streams, ourselves from our audio source.
// Pure, like normalize.ts: the tracker keeps the counters between calls.
import type { RawConnectionStats } from '../call/engine';
import { kindOf, num, peerOfInbound, type Entry } from './reports';

/** Cumulative audio energy and duration per stream (connection id + stats id). */
export type AudioCounters = Record<string, { energy: number; duration: number }>;

export interface AudioLevels {
  /** Each remote peer's level, linear 0..1 (the loudest of its audio streams). */
  peers: Record<string, number>;
  /** Our own microphone's level, null without an audio source. */
  self: number | null;
  counters: AudioCounters;
}

/**
 * The root mean square of `audioLevel` over the interval since `previous`, from the cumulative
 * `totalAudioEnergy` / `totalSamplesDuration` (an average: one beep or click does not make a
 * speaker); the instantaneous `audioLevel` when there is no interval yet.
 */
function levelOf(key: string, e: Entry, previous: AudioCounters | null, counters: AudioCounters): number | null {
  const energy = num(e.totalAudioEnergy);
  const duration = num(e.totalSamplesDuration);
  if (energy !== null && duration !== null) {
    counters[key] = { energy, duration };
    const before = previous?.[key];
    if (before && duration > before.duration && energy >= before.energy) {
      return Math.min(1, Math.sqrt((energy - before.energy) / (duration - before.duration)));
    }
  }
  return num(e.audioLevel);
}

const louder = (a: number | null | undefined, b: number | null) => (b === null ? (a ?? null) : Math.max(a ?? 0, b));

export function audioLevels(raw: readonly RawConnectionStats[], previous: AudioCounters | null): AudioLevels {
  const counters: AudioCounters = {};
  const peers: Record<string, number> = {};
  let self: number | null = null;
  for (const conn of raw) {
    for (const e of conn.stats) {
      const key = `${conn.id}|${String(e.id)}`;
      if (e.type === 'inbound-rtp' && kindOf(e) === 'audio') {
        const peerId = peerOfInbound(conn, e);
        const level = levelOf(key, e, previous, counters);
        if (peerId && level !== null) peers[peerId] = louder(peers[peerId], level) as number;
      } else if (e.type === 'media-source' && kindOf(e) === 'audio') {
        // Mesh has one source per connection for the same microphone: they agree, keep the loudest.
        self = louder(self, levelOf(key, e, previous, counters));
      }
    }
  }
  return { peers, self, counters };
}
