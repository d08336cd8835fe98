// Smoke test: the SFU capacity benchmark runs end to end with --quick against a real mediasoup
// worker (built by scripts/build/build-mediasoup-worker.sh) and writes well-formed JSON. No timing
// assertions: the machine may be busy.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sfu-capacity-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STEP_FIELDS = [
  'consumers',
  'seconds',
  'sentPackets',
  'expectedPackets',
  'receivedPackets',
  'lossPct',
  'forwardedPacketsPerSec',
  'forwardedMbps',
  'workerCpuPct',
  'harnessCpuPct',
  'silentConsumers',
  'keyFrameRequests',
] as const;

describe('scripts/kit/cli/sfu-capacity.ts --quick', () => {
  it('writes a steps array with finite numbers and forwarded packets', { timeout: 60_000 }, async () => {
    const out = join(dir, 'sfu-capacity.json');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/kit/cli/sfu-capacity.ts', '--quick', '--out', out],
      { cwd: process.cwd(), timeout: 55_000, killSignal: 'SIGKILL' },
    );
    expect(stdout).toContain('consumers per worker at 500 kbps');
    expect(existsSync(out)).toBe(true);

    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      stopReason: string;
      steps: Record<string, unknown>[];
      result: { consumersPerWorker: unknown; bitrateKbps: unknown; anchor: unknown };
    };
    expect(report.stopReason).toBe('max-reached');
    expect(report.steps.map((s) => s.consumers)).toEqual([0, 5, 10]);
    for (const s of report.steps) {
      for (const field of STEP_FIELDS) {
        expect(typeof s[field], field).toBe('number');
        expect(Number.isFinite(s[field]), field).toBe(true);
      }
      const perPacket = s.workerCpuUsPerPacket;
      expect(perPacket === null || Number.isFinite(perPacket)).toBe(true);
      expect(s.kernelUdpRcvbufErrors === null || Number.isFinite(s.kernelUdpRcvbufErrors)).toBe(true);
    }
    const [idle, ...withConsumers] = report.steps;
    expect(idle.receivedPackets).toBe(0);
    for (const s of withConsumers) {
      expect(s.receivedPackets as number).toBeGreaterThan(0);
      expect(s.expectedPackets as number).toBeGreaterThan(0);
    }
    expect(report.result.bitrateKbps).toBe(500);
    expect(typeof report.result.anchor).toBe('string');
  });
});
