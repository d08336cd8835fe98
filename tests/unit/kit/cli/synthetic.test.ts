// Smoke test: the SYNTHETIC benchmark at N=2..3, one run, 2 s windows, against a real mediasoup worker
// (built by scripts/build/build-mediasoup-worker.sh) and real participant processes on loopback;
// checks the JSON's shape and that media flowed both ways. No timing assertions: the machine may be busy.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'synthetic-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  benchmark: string;
  synthetic: boolean;
  interrupted: boolean;
  results: Results;
}

interface Results {
  steps: { n: number; mode: string; participants: { uploadKbps: number; downloadKbps: number; cpuPct: number }[]; workerCpuPct: number | null; fullLayerConsumers: { onFull: number; video: number } | null }[];
  uploadRatios: { n: number; runs: { ratio: number; expected: number }[] }[];
  knees: { mode: string; rule: string }[];
}

describe('scripts/kit/cli/synthetic.ts at N=2..3', () => {
  it('measures both modes and writes the JSON, report and charts', { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/kit/cli/synthetic.ts', '--min', '2', '--max', '3', '--runs', '1', '--seconds', '2', '--out', dir], {
      cwd: process.cwd(),
      timeout: 55_000,
      killSignal: 'SIGKILL',
    });
    expect(stdout).toContain('SYNTHETIC');
    for (const f of ['synthetic.json', 'report.md', 'upload-vs-n.svg', 'ratio-vs-n.svg', 'cpu-vs-n.svg']) expect(existsSync(join(dir, f)), f).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'synthetic.json'), 'utf8')) as Report;
    expect(json).toMatchObject({ benchmark: 'synthetic', synthetic: true, interrupted: false });
    const report = json.results;
    expect(report.steps.map((s) => `${s.n}${s.mode}`)).toEqual(['2mesh', '2sfu', '3mesh', '3sfu']);
    for (const s of report.steps) {
      expect(s.participants).toHaveLength(s.n);
      for (const p of s.participants) {
        expect(p.uploadKbps).toBeGreaterThan(0);
        expect(p.downloadKbps).toBeGreaterThan(0);
        expect(Number.isFinite(p.cpuPct)).toBe(true);
      }
      if (s.mode === 'sfu') {
        expect(s.workerCpuPct === null || Number.isFinite(s.workerCpuPct)).toBe(true);
        expect(s.fullLayerConsumers?.video).toBe(s.n * (s.n - 1));
      }
    }
    expect(report.uploadRatios.map((r) => r.n)).toEqual([2, 3]);
    for (const r of report.uploadRatios) for (const x of r.runs) expect(Number.isFinite(x.ratio) && Number.isFinite(x.expected)).toBe(true);
    expect(report.knees.map((k) => k.mode)).toEqual(['mesh', 'sfu']);
    expect(readFileSync(join(dir, 'ratio-vs-n.svg'), 'utf8')).toContain('SYNTHETIC');
  });
});
