// Proof that the lab leaves the host alone: the root namespace's addresses, routes and firewall
// rules read before and after, and their difference (empty when untouched).
import { execFileSync } from 'node:child_process';

export type HostSnapshot = Record<string, string>;

const SOURCES: Record<string, [string, string[]]> = {
  'ip addr': ['ip', ['addr']],
  'ip route': ['ip', ['route']],
  'iptables -S': ['iptables', ['-w', '-S']],
  'nft list ruleset': ['nft', ['list', 'ruleset']],
};

/** Reads every source; one that cannot be read records why (the same on both sides compares equal). */
export function snapshotHost(): HostSnapshot {
  const out: HostSnapshot = {};
  for (const [label, [cmd, args]] of Object.entries(SOURCES)) {
    try {
      out[label] = normalize(execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (err) {
      out[label] = `(unreadable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    }
  }
  return out;
}

/** Address lifetimes count down on their own (DHCP, SLAAC): not a change anyone made. */
export function normalize(text: string): string {
  return text.replace(/(valid|preferred)_lft \d+sec/g, '$1_lft <n>sec');
}

/**
 * The lines that differ between two snapshots, as "<source>: - line" / "<source>: + line", in
 * source order; [] when the host is untouched. Lines are compared as multisets (order-blind).
 */
export function diffHost(before: HostSnapshot, after: HostSnapshot): string[] {
  const diff: string[] = [];
  for (const label of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    const count = (text: string | undefined) => {
      const m = new Map<string, number>();
      for (const line of (text ?? '').split('\n').map((l) => l.trimEnd()).filter(Boolean)) m.set(line, (m.get(line) ?? 0) + 1);
      return m;
    };
    const a = count(before[label]);
    const b = count(after[label]);
    for (const [line, n] of a) for (let i = b.get(line) ?? 0; i < n; i++) diff.push(`${label}: - ${line}`);
    for (const [line, n] of b) for (let i = a.get(line) ?? 0; i < n; i++) diff.push(`${label}: + ${line}`);
  }
  return diff;
}
