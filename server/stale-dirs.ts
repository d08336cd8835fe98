// Temporary folders of child processes killed before they could clean up (a coturn, a Redis of the
// kit): told by the pid file inside naming a dead process, and removed by the next start.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Removes os.tmpdir()/<prefix>* folders whose pid file names a dead process. A folder without a pid
 * file yet may belong to a process still starting (another server or run) and is left alone.
 */
export function sweepDeadProcessDirs(prefix: string, pidFile: string): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(prefix)) continue;
    const dir = join(tmpdir(), name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(dir, pidFile), 'utf8').trim());
    } catch {
      continue;
    }
    if (!isAlive(pid)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Running, and not a zombie: a killed child is one until its (new) parent reaps it. */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
