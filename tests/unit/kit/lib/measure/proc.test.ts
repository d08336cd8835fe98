// /proc parsing for the browsers' and the server's CPU: stat lines with awkward names, tree sums.
import { describe, expect, it } from 'vitest';
import { parseProcStat, treeCpuSeconds } from '../../../../../scripts/kit/lib/measure/proc';

describe('/proc parsing', () => {
  it('reads ppid and utime+stime even with spaces and parentheses in the name', () => {
    const line = '1234 (my (weird) proc) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0';
    expect(parseProcStat(line)).toEqual({ pid: 1234, ppid: 1, cpuS: 3 });
  });

  it('sums CPU over a process and all its descendants', () => {
    const stats = [
      { pid: 1, ppid: 0, cpuS: 1 },
      { pid: 2, ppid: 1, cpuS: 2 },
      { pid: 3, ppid: 2, cpuS: 4 },
      { pid: 4, ppid: 0, cpuS: 8 },
    ];
    expect(treeCpuSeconds(stats, [1])).toBe(7);
    expect(treeCpuSeconds(stats, [2, 4])).toBe(14);
  });
});
