// The cluster benchmark's summary on recorded runs and trials: medians over runs, the cascade's
// extra RTT against both baselines, "no samples" when cross-node pings are missing, and kill times.
import { describe, expect, it } from 'vitest';
import { printSummary, summarize, type FailureTrial, type LayoutRun } from '../../../../../scripts/kit/lib/cluster/cluster-summary';

const rates = (cpuPct: number, egressKbps: number, pipeOutKbps: number) => ({ cpuPct, egressKbps, pipeOutKbps, pipeInKbps: 0 });

function run(layout: LayoutRun['layout'], cross: number[], expected: number[], rttSame: number[], rttCross: number[]): LayoutRun {
  return {
    layout,
    nodeSeen: ['node-1', 'node-2'],
    placed: layout === 'spread' ? [0, 1] : [0, 0],
    settle: { settled: true, seconds: 12 },
    nodes: [rates(6, 900, cross[0]), rates(5, 950, cross[1])],
    crossKbps: cross,
    expectedCrossKbps: expected,
    pipedProducersOut: layout === 'spread' ? [6, 6] : [0, 0],
    uploadsKbps: [400, 400],
    rttSameMs: rttSame,
    rttCrossMs: rttCross,
  };
}

const trial = (ms: number | null, participantsMs: (number | null)[]): FailureTrial => ({ ms, participantsMs, onKilledNode: [false, true, false, true], pollIntervalMs: 140 });

describe('cluster summary', () => {
  it('gives medians over runs, the measured/expected ratio and the RTT the cascade adds', () => {
    const runs = [
      run('one node', [0, 0], [0, 0], [3, 5, 4], []),
      run('spread', [480, 500], [400, 400], [4, 4], [8, 9, 10]),
      run('spread', [520, 440], [400, 400], [5, 6], [9, 11]),
    ];
    const s = summarize(runs, {});
    expect(s.spread.crossOverExpected.map((x) => x.median)).toEqual([1.25, 1.175]);
    expect(s.oneNode.crossOverExpected[0].n).toBe(0); // nothing expected across: no ratio, not 0 or Infinity
    expect(s.cascadeAddedRttMs.vsSameNodePairs).toBe(9 - 4.5);
    expect(s.cascadeAddedRttMs.vsOneNodeRoom).toBe(9 - 4);
  });

  it('says "no samples" when cross-node pairs measured no RTT instead of inventing a difference', () => {
    const s = summarize([run('one node', [0, 0], [0, 0], [3], []), run('spread', [480, 500], [400, 400], [4], [])], {});
    expect(s.cascadeAddedRttMs).toEqual({ vsSameNodePairs: null, vsOneNodeRoom: null });
    const lines: string[] = [];
    printSummary(s, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/cross-node pairs no samples/);
    expect(lines.join('\n')).toMatch(/RTT the cascade adds.*no samples.*no samples/);
  });

  it('times node kills: median and worst over trials, a trial that never recovered counted apart', () => {
    const s = summarize([], { mesh: [trial(5000, [800, 5000, 700, 4800]), trial(7000, [900, 7000, 600, 6500]), trial(null, [900, null, 700, null])] });
    const f = s.failure.mesh;
    expect([f.trials, f.recovered, f.ms.median, f.ms.max]).toEqual([3, 2, 6000, 7000]);
    expect(f.movedMs.median).toBe(5750); // 4800, 5000, 6500, 7000: the never-recovered trial adds no time
    expect(f.stayedMs.max).toBe(900);
  });
});
