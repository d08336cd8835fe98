// What an auto room's switch changed for this participant: its upload and its ping RTT to the
// others, from the last sample before the switch began to one taken a few seconds after it was
// done (once the new path's encoders have ramped up), so the numbers show a settled state.
import type { TopologySwitch } from '../call/engine';
import type { Sample } from './sample';

/** How long after a switch the "after" figures are read: long enough for the bitrate to ramp. */
export const EFFECT_DELAY_MS = 5000;

export interface SwitchEffect {
  uploadKbps: { before: number | null; after: number | null };
  rttMs: { before: number | null; after: number | null };
  /** False while the "after" sample is still to come. */
  settled: boolean;
}

type EffectSample = Pick<Sample, 'timestamp' | 'upload' | 'pingRtt'>;

/** Null for anything but a completed switch (the topology we joined on, a failed or dropped switch). */
export function switchEffect(entry: Pick<TopologySwitch, 'from' | 'startedAt' | 'doneAt' | 'outcome'>, samples: readonly EffectSample[]): SwitchEffect | null {
  if (entry.from === null || entry.outcome !== 'done' || entry.doneAt === null) return null;
  const before = samples.findLast((s) => s.timestamp < entry.startedAt) ?? null;
  const after = samples.find((s) => s.timestamp >= entry.doneAt! + EFFECT_DELAY_MS) ?? null;
  return {
    uploadKbps: { before: before?.upload.totalKbps ?? null, after: after?.upload.totalKbps ?? null },
    rttMs: { before: before ? meanRtt(before) : null, after: after ? meanRtt(after) : null },
    settled: after !== null,
  };
}

/** The mean ping RTT to everyone who answered, or null when nobody has. */
function meanRtt(sample: EffectSample): number | null {
  const values = Object.values(sample.pingRtt).filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
