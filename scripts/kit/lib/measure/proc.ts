// CPU time of a process and all its descendants from /proc (Linux), e.g. one Chromium with its
// renderer/GPU/utility processes, or the server with its mediasoup workers and coturn.
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux ABI Node supports. */
const CLOCK_TICKS = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, seconds. */
  cpuS: number;
}

/** Parses one /proc/<pid>/stat line (the command name may contain spaces and parentheses). */
export function parseProcStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  const pid = Number(line.slice(0, line.indexOf(' ')));
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(pid) || !Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`bad /proc stat line: ${line.slice(0, 80)}`);
  return { pid, ppid, cpuS: (utime + stime) / CLOCK_TICKS };
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      out.push(parseProcStat(readFileSync(`/proc/${e}/stat`, 'utf8')));
    } catch {
      // the process ended while we listed it
    }
  }
  return out;
}

/** Sum of CPU seconds over `roots` and every descendant (pure, for tests). */
export function treeCpuSeconds(stats: readonly ProcStat[], roots: readonly number[]): number {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  let total = 0;
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += byPid.get(pid)?.cpuS ?? 0;
    for (const c of children.get(pid) ?? []) stack.push(c.pid);
  }
  return total;
}

/** CPU seconds of a process tree now, or null where /proc is unavailable. */
export function processTreeCpu(pid: number): number | null {
  const stats = allStats();
  if (!stats.some((s) => s.pid === pid)) return null;
  return treeCpuSeconds(stats, [pid]);
}

/**
 * The topmost descendant of `ancestor` whose command line contains `marker` (a unique file path
 * passed on Chromium's command line identifies one participant's browser), or null.
 */
export function findDescendantByCmdline(ancestor: number, marker: string): number | null {
  const stats = allStats();
  const parent = new Map(stats.map((s) => [s.pid, s.ppid]));
  const isDescendant = (pid: number) => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) if (p === ancestor) return true;
    return false;
  };
  const matches: number[] = [];
  for (const s of stats) {
    if (!isDescendant(s.pid)) continue;
    try {
      if (readFileSync(`/proc/${s.pid}/cmdline`, 'utf8').includes(marker)) matches.push(s.pid);
    } catch {
      // gone
    }
  }
  const set = new Set(matches);
  return matches.find((pid) => !set.has(parent.get(pid) ?? -1)) ?? null;
}
