// The time-to-first-frame benchmark's summary on recorded waterfalls: p50/p95 per step and of the
// total per (mode, peers), incomplete runs counted but not timed, and the goal judged for N=2 only.
import { describe, expect, it } from 'vitest';
import { joinWaterfall } from '../../../../../app/lib/stats/join-waterfall';
import { summarizeTtff, ttffTable, type TtffRun } from '../../../../../scripts/kit/lib/measure/ttff';

const run = (mode: string, peers: number, i: number, total: number | null): TtffRun => ({
  mode,
  peers,
  run: i,
  waterfall: total === null ? null : joinWaterfall({ start: 0, pageReady: 300, media: 320, signaling: 330, joined: 340, transports: total - 50, firstFrame: total }),
  ...(total === null ? { error: 'no first frame within 30 s' } : {}),
});

describe('summarizeTtff', () => {
  it('summarizes each mode and size apart, and judges the goal for two people only', () => {
    const runs = [500, 600, 700, 800].map((t, i) => run('mesh', 2, i + 1, t));
    runs.push(run('mesh', 2, 5, null), ...[1_600, 1_700].map((t, i) => run('sfu', 2, i + 1, t)), run('sfu', 4, 1, 900));
    const [mesh, sfu, sfu4] = summarizeTtff(runs);
    expect(mesh).toMatchObject({ mode: 'mesh', peers: 2, runs: 5, completed: 4, goalMet: true });
    expect(mesh.totalMs.p50).toBe(650);
    expect(mesh.steps.find((s) => s.name === 'firstFrame')!.ms.p50).toBe(50);
    expect(sfu).toMatchObject({ completed: 2, goalMet: false });
    expect(sfu4.goalMet).toBeNull();
    expect(ttffTable([mesh, sfu])).toContain('| **total** (navigation → first frame) | **650 / ');
  });
});
