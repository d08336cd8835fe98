// Runs the lab's plan (topology.ts) on the kernel: creates the namespaces, wires them, and tears
// them down, killing whatever still runs inside. A lab left behind by a process that died (a crash,
// SIGKILL) is swept by the next lab; a live process's lab is never touched.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { ownerPid, type LabPlan, type Step } from './topology';

const execFileAsync = promisify(execFile);

/** Why no lab can be built here, or null when it can (root, iproute2, iptables). */
export function labUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the network lab needs root (network namespaces, veth links, iptables): run it as root';
  for (const [tool, args] of [['ip', ['-V']], ['iptables', ['-V']]] as const) {
    try {
      execFileSync(tool, args, { stdio: 'ignore' });
    } catch {
      return `the network lab needs ${tool}: run scripts/setup.sh --tests (installs iproute2 and iptables)`;
    }
  }
  return null;
}

/** The argv that runs `argv` inside `ns`: `ip -n` for ip itself, `ip netns exec` for anything else. */
export function inNamespace(ns: string, argv: readonly string[]): string[] {
  return argv[0] === 'ip' ? ['ip', '-n', ns, ...argv.slice(1)] : ['ip', 'netns', 'exec', ns, ...argv];
}

/** Runs a command; a failure throws with the command and its stderr. */
export async function run(argv: readonly string[]): Promise<string> {
  try {
    return (await execFileAsync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 15_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`lab: \`${argv.join(' ')}\` failed: ${(e.stderr || e.message).trim()}`);
  }
}

export const runStep = (s: Step) => run(inNamespace(s.ns, s.argv));

export function listNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes namespaces after killing every process inside (a namespace's interfaces live as long as
 * any process holds it). Synchronous, so it also runs from an exit handler. Returns what failed.
 */
export function deleteNamespaces(names: readonly string[]): string[] {
  const problems: string[] = [];
  const present = new Set(listNamespaces());
  for (const ns of names) {
    if (!present.has(ns)) continue;
    try {
      const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      for (const pid of pids) if (pid !== process.pid) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      execFileSync('ip', ['netns', 'del', ns], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      problems.push(`${ns}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  return problems;
}

/** Removes labs whose owning process is gone (left by a crash or SIGKILL); returns their names. */
export function sweepStaleLabs(): string[] {
  const stale = listNamespaces().filter((ns) => {
    const pid = ownerPid(ns);
    return pid !== null && pid !== process.pid && !alive(pid);
  });
  deleteNamespaces(stale);
  return stale;
}

/** Creates every namespace and runs every step; on any failure removes what it made, then throws. */
export async function buildNetwork(plan: LabPlan): Promise<void> {
  const made: string[] = [];
  try {
    for (const ns of plan.namespaces) {
      await run(['ip', 'netns', 'add', ns]);
      made.push(ns);
    }
    for (const step of plan.steps) await runStep(step);
  } catch (err) {
    deleteNamespaces(made);
    throw err;
  }
}
