// When the machine, not the topology, is the limit: encoders held back by CPU or bandwidth, and
// frame rates far below the source. Pure, read off the last few samples and the room's summaries,
// so a class does not read a laptop's limit as a property of mesh or SFU.
import type { PeerStatsShare } from '../../../signaling/protocol';
import type { Sample } from './sample';

export interface MachineLimit {
  /** 'self' or the peer id it is about. */
  who: string;
  reason: 'cpu' | 'bandwidth' | 'low-fps';
  text: string;
}

/** A condition must hold this many samples in a row (seconds at 1 Hz) to be reported: no flicker. */
export const LIMIT_PERSISTENCE = 3;
/** Received video below this frame rate is visibly choppy. */
export const LOW_FPS = 10;

export function machineLimits(
  samples: readonly Sample[],
  room: Readonly<Record<string, PeerStatsShare>>,
  names: Readonly<Record<string, string>>,
  sourceFps: number | null,
): MachineLimit[] {
  const recent = samples.slice(-LIMIT_PERSISTENCE);
  if (recent.length < LIMIT_PERSISTENCE) return [];
  const limits: MachineLimit[] = [];
  for (const reason of ['cpu', 'bandwidth'] as const) {
    if (recent.every((s) => s.layers.some((l) => (l.kbps ?? 0) > 0 && l.qualityLimitationReason === reason))) {
      limits.push({ who: 'self', reason, text: ownLimitText(reason) });
    }
  }
  const topFps = (s: Sample) => Math.max(0, ...s.layers.filter((l) => (l.kbps ?? 0) > 0).map((l) => l.fps ?? 0));
  if (sourceFps && recent.every((s) => topFps(s) > 0 && topFps(s) < sourceFps / 2)) {
    limits.push({
      who: 'self',
      reason: 'low-fps',
      text: `Your camera gives ${Math.round(sourceFps)} fps but your encoder sends only ${Math.round(topFps(recent.at(-1)!))} fps.`,
    });
  }
  const latest = recent.at(-1)!;
  for (const peer of latest.peers) {
    const name = names[peer.id] ?? peer.name;
    const shared = room[peer.id]?.limitReason;
    if (shared === 'cpu' || shared === 'bandwidth') {
      limits.push({ who: peer.id, reason: shared, text: `${name}'s encoder is limited by ${shared === 'cpu' ? 'its CPU' : 'its bandwidth estimate'}.` });
    }
    const choppy = recent.every((s) => {
      const p = s.peers.find((q) => q.id === peer.id);
      return p !== undefined && (p.kbps ?? 0) > 0 && p.fps !== null && p.fps < LOW_FPS;
    });
    if (choppy) limits.push({ who: peer.id, reason: 'low-fps', text: `${name}'s video reaches you at ${peer.fps} fps.` });
  }
  return limits;
}

function ownLimitText(reason: 'cpu' | 'bandwidth'): string {
  return reason === 'cpu'
    ? "This computer's CPU is holding back your video encoder."
    : "Your browser's bandwidth estimate is holding back your video encoder.";
}
