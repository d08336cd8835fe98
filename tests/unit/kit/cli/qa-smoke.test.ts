// Smoke test of the QA kit against the real server (own free port, Next build from NEXT_DIST_DIR,
// default .next): the participants CLI and the topology and SFU ramp benchmarks at tiny sizes write
// well-formed JSON with video decoded both ways, and a refused join ends the CLI with the server's code.
// No timing assertions: the machine may be busy.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerHandle } from '../../../../scripts/kit/lib/server-process';
import { CHROMIUM_PATH } from '../../../../scripts/kit/lib/browser/chromium';

const run = promisify(execFile);
const distDir = process.env.NEXT_DIST_DIR ?? '.next';
const chromium = CHROMIUM_PATH;
const missing = [
  existsSync(join(distDir, 'BUILD_ID')) ? null : `no Next build in ${distDir} (run next build first)`,
  existsSync(chromium) ? null : `no Chromium at ${chromium}`,
].filter(Boolean);
// In CI the build and Chromium are part of setup, so a missing one must fail, not skip.
const skip = missing.length > 0 && !process.env.CI;

const dir = mkdtempSync(join(tmpdir(), 'qa-smoke-'));
let server: ServerHandle | null = null;

function tsx(script: string, args: string[], timeoutMs: number) {
  // SIGTERM on timeout: the CLIs then leave the call and close their browsers themselves.
  return run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: process.cwd(), timeout: timeoutMs, killSignal: 'SIGTERM', maxBuffer: 4 << 20 });
}

/** Like tsx(), but resolves with the exit code instead of rejecting on a non-zero one. */
async function tsxExit(script: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await tsx(script, args, timeoutMs);
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe.skipIf(skip)(`QA kit smoke${skip ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  beforeAll(async () => {
    server = await startServer({ distDir, timeoutMs: 45_000 });
  }, 50_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  it('participants: two mesh participants decode each other and leave', { timeout: 60_000 }, async () => {
    const out = join(dir, 'participants.json');
    const { stdout } = await tsx('scripts/kit/cli/participants.ts', ['--url', server!.url, '--mode', 'mesh', '--count', '2', '--duration', '5', '--json', out], 55_000);
    expect(stdout).toContain('Summary (mesh');
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      mode: string;
      participants: { name: string; status: string; framesFrom: Record<string, number>; window: { uploadKbps: number; downloadKbps: number; remotes: unknown[] } | null }[];
    };
    expect(report.mode).toBe('mesh');
    expect(report.participants.map((p) => p.name)).toEqual(['bot1', 'bot2']);
    const [a, b] = report.participants;
    expect(a.framesFrom.bot2).toBeGreaterThan(0);
    expect(b.framesFrom.bot1).toBeGreaterThan(0);
    for (const p of report.participants) {
      expect(p.status).toBe('joined');
      expect(Number.isFinite(p.window!.uploadKbps)).toBe(true);
      expect(p.window!.uploadKbps).toBeGreaterThan(0);
      expect(p.window!.remotes).toHaveLength(1);
    }
  });

  it('participants: SFU into a mesh room exits 3 with MODE_MISMATCH; --count 1 into an occupied room decodes the occupant', { timeout: 150_000 }, async () => {
    const room = `smoke-${Date.now().toString(36)}`;
    const script = 'scripts/kit/cli/participants.ts';
    // The occupant: one mesh participant that stays while the two other runs come and go.
    const occupant = spawn(process.execPath, ['--import', 'tsx', script, '--url', server!.url, '--room', room, '--mode', 'mesh', '--count', '1', '--duration', '120'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let occupantOutput = '';
    occupant.stdout.on('data', (d: Buffer) => (occupantOutput += d.toString()));
    occupant.stderr.on('data', (d: Buffer) => (occupantOutput += d.toString()));
    const occupantExit = new Promise<number | null>((resolve) => occupant.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => occupantOutput, { timeout: 45_000, interval: 250 }).toContain('bot1 joined');

      const wrong = await tsxExit(script, ['--url', server!.url, '--room', room, '--mode', 'sfu', '--count', '1', '--duration', '5', '--name-prefix', 'wrong'], 55_000);
      expect(wrong.code, wrong.output).toBe(3);
      expect(wrong.output).toMatch(/wrong1 could not join: MODE_MISMATCH: /);

      const out = join(dir, 'guest.json');
      const guest = await tsxExit(script, ['--url', server!.url, '--room', room, '--mode', 'mesh', '--count', '1', '--duration', '3', '--name-prefix', 'guest', '--json', out], 55_000);
      expect(guest.code, guest.output).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as { participants: { status: string; framesFrom: Record<string, number>; window: { remotes: unknown[] } | null }[] };
      expect(report.participants[0].status).toBe('joined');
      expect(report.participants[0].framesFrom.bot1).toBeGreaterThan(0);
      expect(report.participants[0].window?.remotes).toHaveLength(1);
    } finally {
      occupant.kill('SIGTERM');
    }
    // Interrupted: it leaves the call cleanly, still prints its summary, and says so in its exit code.
    expect(await occupantExit).toBe(130);
    expect(occupantOutput).toContain('Summary (mesh');
  });

  it('topology: N=2 in both modes, one run, writes JSON, Markdown and SVG with the settle outcome and the model', { timeout: 90_000 }, async () => {
    const out = join(dir, 'topology');
    // Tiny: one run, a 3 s window, at most 8 s of waiting for a settled upload (the report says when the cap hit).
    const args = ['--url', server!.url, '--min', '2', '--max', '2', '--runs', '1', '--seconds', '3', '--settle-max', '8', '--join-timeout', '30', '--out', out];
    const { stdout } = await tsx('scripts/kit/cli/topology.ts', args, 85_000);
    expect(stdout).toContain('mesh knee (smallest N where mesh fps per remote');
    const report = JSON.parse(readFileSync(join(out, 'topology.json'), 'utf8')) as {
      schemaVersion: number;
      summaries: { n: number; mode: string; run: number; uploadKbps: number; fpsPerRemote: number }[];
      steps: { mode: string; run: number; settle: { settled: boolean; seconds: number; capSeconds: number }; participants: { window: { remotes: { framesDecoded: number }[] } | null; layers: { copies: number } | null }[] }[];
      aggregates: { n: number; mode: string; runs: number }[];
      uploadRatios: { n: number; naive: number; runs: { run: number }[]; expected: { n: number } }[];
      knees: { mesh: { mode: string; rule: string }; sfu: { mode: string } };
    };
    expect(report.schemaVersion).toBe(2);
    expect(report.summaries.map((s) => `${s.n}-${s.mode}-${s.run}`).sort()).toEqual(['2-mesh-1', '2-sfu-1']);
    for (const s of report.steps) {
      expect(s.participants).toHaveLength(2);
      expect(s.settle.capSeconds).toBe(8);
      expect(typeof s.settle.settled).toBe('boolean');
      for (const p of s.participants) expect(p.window!.remotes[0].framesDecoded, s.mode).toBeGreaterThan(0);
      // Mesh: one copy per peer; SFU: simulcast layers, no copies.
      for (const p of s.participants) expect(p.layers!.copies, s.mode).toBe(s.mode === 'mesh' ? 1 : 0);
    }
    for (const s of report.summaries) expect(Number.isFinite(s.uploadKbps)).toBe(true);
    expect(report.aggregates.map((a) => [a.n, a.mode, a.runs])).toEqual([
      [2, 'mesh', 1],
      [2, 'sfu', 1],
    ]);
    expect(report.uploadRatios.map((r) => [r.n, r.naive, r.runs.length])).toEqual([[2, 1, 1]]);
    expect(report.knees.mesh.rule).toContain('smallest N where mesh fps per remote');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('# Topology benchmark');
    expect(md).toContain('Settle rule: upload settled when');
    for (const svg of ['upload-vs-n.svg', 'ratio-vs-n.svg', 'fps-vs-n.svg', 'cpu-vs-n.svg']) expect(readFileSync(join(out, svg), 'utf8')).toContain('<svg');
  });

  it('sfu-ramp: N=2, both modes, idle, one run, short window: writes JSON with every participant measured both ways', { timeout: 120_000 }, async () => {
    const out = join(dir, 'sfu-ramp.json');
    // Tiny: an 8 s window whose last 3 s define the steady upload; idle only (no busy loops in the suite).
    const args = ['--url', server!.url, '--peers', '2', '--runs', '1', '--load', 'idle', '--window', '8', '--steady', '3', '--join-timeout', '30', '--out', out];
    const { stdout } = await tsx('scripts/kit/cli/sfu-ramp.ts', args, 110_000);
    expect(stdout).toContain('"SFU receivers get at least mesh receivers\' resolution"');
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      benchmark: string;
      steps: { mode: string; loaded: boolean; error?: string; participants: { name: string; steadyKbps: number | null; received: { from: string; width: number | null }[] }[] }[];
      aggregates: { mode: string; loaded: boolean; participants: number }[];
      verdicts: { loaded: boolean; holds: boolean | null }[];
    };
    expect(report.benchmark).toBe('sfu-ramp');
    expect(report.steps.map((s) => [s.mode, s.loaded, s.error ?? null])).toEqual([
      ['mesh', false, null],
      ['sfu', false, null],
    ]);
    for (const s of report.steps) {
      expect(s.participants.map((p) => p.name)).toEqual(['p1', 'p2']);
      for (const p of s.participants) {
        expect(Number.isFinite(p.steadyKbps), s.mode).toBe(true);
        expect(p.received.map((r) => r.from), s.mode).toEqual([p.name === 'p1' ? 'p2' : 'p1']);
        expect(p.received[0].width, s.mode).toBeGreaterThan(0);
      }
    }
    expect(report.aggregates.map((a) => [a.mode, a.loaded, a.participants])).toEqual([
      ['mesh', false, 2],
      ['sfu', false, 2],
    ]);
    expect(report.verdicts.map((v) => v.loaded)).toEqual([false]);
  });
});
