// The JSON file every benchmark writes: one envelope (which benchmark, when, interrupted or not,
// the machine and its load) around the benchmark's own fields.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';

export function writeBenchJson(path: string, benchmark: string, o: { startedAt: Date; interrupted: boolean; loadavgBefore?: number[] }, body: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, ...(o.loadavgBefore ? { loadavgBefore: o.loadavgBefore } : {}), loadavgAfter: loadavg() };
  const envelope = { benchmark, schemaVersion: 1, startedAt: o.startedAt.toISOString(), finishedAt: new Date().toISOString(), interrupted: o.interrupted, machine };
  writeFileSync(path, `${JSON.stringify({ ...envelope, ...body }, null, 2)}\n`);
}
