// Loads the captured Chromium getStats fixtures and builds small synthetic reports for edge cases.
import { readFileSync } from 'node:fs';
import type { RawConnectionStats } from '../../../app/lib/call/engine';

export interface StatsFixture {
  mode: 'mesh' | 'sfu';
  selfId: string;
  roster: { id: string; name: string }[];
  leaver: string | null;
  samples: { now: number; raw: RawConnectionStats[] }[];
}

export function loadFixture(name: 'mesh-3tabs' | 'sfu-3tabs'): StatsFixture {
  return JSON.parse(readFileSync(new URL(`../../fixtures/stats/${name}.json`, import.meta.url), 'utf8')) as StatsFixture;
}

/** One mesh connection with an outbound and an inbound video stream (and nothing else). */
export function meshConnection(peerId: string, counters: { sent?: number; received?: number; extra?: Record<string, unknown> }): RawConnectionStats {
  const stats: Record<string, unknown>[] = [];
  if (counters.sent !== undefined) stats.push({ id: 'OT01V', type: 'outbound-rtp', kind: 'video', bytesSent: counters.sent, ...counters.extra });
  if (counters.received !== undefined) {
    stats.push({ id: 'IT01V', type: 'inbound-rtp', kind: 'video', bytesReceived: counters.received, trackIdentifier: 't1', ...counters.extra });
  }
  return { id: `peer:${peerId}`, role: 'peer', peerId, state: 'connected', sending: true, stats };
}
