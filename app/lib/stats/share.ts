// What a sample boils down to for the room-wide table (stats:share) and for the cost model check.
import type { StatsShare } from '../../../signaling/protocol';
import type { Sample } from './sample';

export function mean(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10 : null;
}

/** The most telling encoder limit: any non-'none' reason of a flowing layer, else 'none'. */
export function limitReason(sample: Sample): string | null {
  const reasons = sample.layers.map((l) => l.qualityLimitationReason).filter((r): r is string => r !== null);
  return reasons.find((r) => r !== 'none') ?? reasons[0] ?? null;
}

/** The distinct local candidate types of our connections, relayed ones with their transport to TURN. */
export function pathSummary(sample: Sample): string | null {
  const kinds = sample.connectionStats
    .filter((c) => c.localCandidateType)
    .map((c) => `${c.localCandidateType}${c.relayed && c.protocol ? `/${c.protocol}` : ''}`);
  return kinds.length ? [...new Set(kinds)].join(', ') : null;
}

export function toShare(sample: Sample): StatsShare {
  return {
    upKbps: sample.upload.totalKbps,
    downKbps: sample.download.totalKbps,
    videoUpKbps: sample.upload.videoKbps,
    rttMs: mean(sample.connectionStats.map((c) => c.rttMs)),
    pingMs: mean(Object.values(sample.pingRtt)),
    encoders: sample.activeEncoders,
    connections: sample.connections,
    limitReason: limitReason(sample),
    path: pathSummary(sample),
    fromKbps: Object.fromEntries(sample.peers.filter((p) => p.inRoster && p.kbps !== null).slice(0, 64).map((p) => [p.id, p.kbps!])),
  };
}
