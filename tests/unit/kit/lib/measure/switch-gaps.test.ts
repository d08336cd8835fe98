// The auto-switch benchmark's summary on recorded switches: per direction, each switch's worst tile
// gap, and the times of the completed ones only.
import { describe, expect, it } from 'vitest';
import { summarizeSwitches, type SwitchRecord } from '../../../../../scripts/kit/lib/measure/switch-gaps';

const rec = (direction: SwitchRecord['direction'], gapsMs: number[], triggerToDoneMs: number | null, completed = true): SwitchRecord => ({
  direction,
  completed,
  gapsMs,
  triggerToDoneMs,
  decisionToDoneMs: triggerToDoneMs === null ? null : triggerToDoneMs - 100,
});

describe('summarizeSwitches', () => {
  it('summarizes each direction apart, worst tile per switch, times of completed switches only', () => {
    const [up, down] = summarizeSwitches([
      rec('mesh→sfu', [100, 300], 2000),
      rec('sfu→mesh', [50, 60], 700),
      rec('mesh→sfu', [200, 150], 4000),
      rec('mesh→sfu', [5000, 40], null, false),
    ]);
    expect(up).toMatchObject({ direction: 'mesh→sfu', switches: 3, completed: 2 });
    expect(up.gapMs).toMatchObject({ n: 3, p50: 300, max: 5000 });
    expect(up.triggerToDoneMs).toMatchObject({ n: 2, p50: 3000, max: 4000 });
    expect(up.decisionToDoneMs).toMatchObject({ n: 2, max: 3900 });
    expect(down).toMatchObject({ direction: 'sfu→mesh', switches: 1, completed: 1, gapMs: { p50: 60 } });
  });

  it('leaves out a direction with no switches', () => {
    expect(summarizeSwitches([rec('sfu→mesh', [10], 500)]).map((s) => s.direction)).toEqual(['sfu→mesh']);
  });
});
