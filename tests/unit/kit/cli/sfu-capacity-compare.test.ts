// Smoke test of `sfu-capacity --compare-srtp --quick`: plain RTP, SRTP on Debian's (NSS) libsrtp2 and
// SRTP on the OpenSSL build, each on a fresh real worker that loaded the library the series names,
// in one run and one JSON. No timing assertions: the machine may be busy. Plus its argument checks.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { opensslLibsrtp } from '../../../../server/sfu/libsrtp';
import { refusesArguments } from './run-kit-cli';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sfu-capacity-srtp-'));
const cached = opensslLibsrtp(process.env.MEDIASOUP_WORKER_CACHE || join(homedir(), '.cache', 'mesh-vs-sfu'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Series {
  label: string;
  srtp: boolean;
  libsrtp: { library: string | null; backend: string };
  stopReason: string;
  steps: { consumers: number; receivedPackets: number; workerCpuUsPerPacket: number | null }[];
  result: { consumersAtZeroLoss: unknown; consumersPerWorker: unknown };
}

describe('scripts/kit/cli/sfu-capacity.ts --compare-srtp --quick', () => {
  // Setup builds the OpenSSL libsrtp2; when it could not (no Debian archive), setup warns instead.
  it.skipIf(!cached)('runs the three series on the libsrtp2 each names and compares them', { timeout: 90_000 }, async () => {
    const out = join(dir, 'srtp.json');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/kit/cli/sfu-capacity.ts', '--quick', '--compare-srtp', '--out', out],
      { cwd: process.cwd(), timeout: 85_000, killSignal: 'SIGKILL' },
    );
    expect(stdout).toMatch(/consumers at 0% loss/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      mode: string;
      series: Series[];
      comparison: { rows: { label: string }[] };
    };
    expect(report.mode).toBe('compare-srtp');
    expect(report.series.map((s) => [s.label, s.srtp])).toEqual([
      ['plain RTP', false],
      ["SRTP, NSS libsrtp2 (Debian's)", true],
      ['SRTP, OpenSSL libsrtp2', true],
    ]);
    const [plain, nss, openssl] = report.series;
    expect(nss.libsrtp.backend).toBe('nss');
    expect(plain.libsrtp.library).toBe(nss.libsrtp.library);
    expect(openssl.libsrtp).toEqual({ library: cached, backend: 'openssl' });
    for (const s of report.series) {
      // On a loaded machine a tiny run may stop early on loss or CPU: that is a result, not a failure.
      expect(['max-reached', 'loss', 'cpu'], s.label).toContain(s.stopReason);
      expect(s.steps.map((st) => st.consumers).slice(0, 2), s.label).toEqual([0, 5]);
      for (const st of s.steps.slice(1)) expect(st.receivedPackets, s.label).toBeGreaterThan(0);
      expect(typeof s.result.consumersPerWorker, s.label).toBe('number');
    }
    expect(report.comparison.rows.map((r) => r.label)).toEqual(report.series.map((s) => s.label));
  });
});

describe('sfu-capacity SRTP arguments', () => {
  refusesArguments('scripts/kit/cli/sfu-capacity.ts', [
    [['--compare-srtp', '--plain-rtp'], /--compare-srtp runs plain RTP itself/],
    [['--srtp-suite', 'ROT13'], /--srtp-suite must be one of AES_CM_128_HMAC_SHA1_80, /],
  ]);
});
