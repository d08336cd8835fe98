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

  it('interpolates p95 per step and of the total, and times a step only on runs that reached it', () => {
    // Five joins; the last has an SFU send transport still connecting after its first frame
    // (transports waiting, firstFrame counted from joined), a sixth never decoded anything.
    const marks = (first: number, transports?: number) =>
      joinWaterfall({ start: 0, pageReady: 200, media: 210, signaling: 210, joined: 250, ...(transports === undefined ? {} : { transports }), firstFrame: first });
    const falls = [marks(500, 400), marks(600, 450), marks(700, 500), marks(800, 550), marks(1_300)];
    const runs: TtffRun[] = falls.map((waterfall, i) => ({ mode: 'sfu', peers: 2, run: i + 1, waterfall }));
    runs.push({ mode: 'sfu', peers: 2, run: 6, waterfall: null, error: 'no first frame' });
    const [s] = summarizeTtff(runs);
    expect(s).toMatchObject({ runs: 6, completed: 5, goalMet: true });
    // Sorted totals 500, 600, 700, 800, 1300: p95 at rank 3.8 → 800 + 0.8·500.
    expect(s.totalMs).toMatchObject({ n: 5, p50: 700, p95: 1_200, max: 1_300 });
    const step = (name: string) => s.steps.find((x) => x.name === name)!;
    expect(step('transports').ms).toMatchObject({ n: 4, p50: 225, p95: 292.5 });
    // firstFrame: 100..250 ms after the transports four times, 1050 ms after "joined" once.
    expect(step('firstFrame').ms).toMatchObject({ n: 5, p50: 200 });
    expect(step('firstFrame').ms.p95).toBeCloseTo(890, 6);
    expect(step('joined').atMs).toMatchObject({ n: 5, p50: 250, p95: 250 });
    expect(step('signaling').ms.p50).toBe(0);
    const table = ttffTable([s]);
    expect(table).toContain('| media connected | 225 / 293 |');
    expect(table).toContain('| **total** (navigation → first frame) | **700 / 1200** |');
    expect(table).toContain('| completed runs | 5/6 |');
  });

  it('misses the goal on the p95 alone, and says so when there is nothing to summarize', () => {
    const runs = [400, 450, 500, 550, 3_000].map((t, i) => run('mesh', 2, i + 1, t));
    const [s] = summarizeTtff(runs);
    expect(s.totalMs.p50).toBe(500);
    expect(s.totalMs.p95).toBeGreaterThan(1_500);
    expect(s.goalMet).toBe(false);
    expect(summarizeTtff([run('mesh', 2, 1, null)])[0]).toMatchObject({ completed: 0, goalMet: null, steps: [] });
    expect(ttffTable([])).toBe('(no runs)');
  });
});
