// libsrtp2 on OpenSSL for the mediasoup worker (scripts/build/build-libsrtp2-openssl.sh,
// server/sfu/libsrtp.ts): the cached library's crypto backend, LD_LIBRARY_PATH handling,
// and a real SFU whose worker loads it and says so in its log, or says it runs on Debian's NSS one.
// Own file: mediasoup fixes its worker path when first imported.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeWorkerLibsrtp,
  libsrtpBackend,
  opensslLibsrtp,
  selectLibsrtp,
  withLibraryDir,
  workerLibsrtp,
} from '../../../server/sfu/libsrtp';
import { createSfu } from '../../../server/sfu/index';
import { mediasoupVersion } from '../../../server/sfu/worker-bin';

const cacheDir = process.env.MEDIASOUP_WORKER_CACHE || join(homedir(), '.cache', 'mesh-vs-sfu');
const cached = opensslLibsrtp(cacheDir);
const debian = '/usr/lib/x86_64-linux-gnu/libsrtp2.so.1';
const workerBin = join(cacheDir, `mediasoup-worker-${mediasoupVersion()}`);
const saved = { ld: process.env.LD_LIBRARY_PATH, cache: process.env.MEDIASOUP_WORKER_CACHE, bin: process.env.MEDIASOUP_WORKER_BIN };

afterAll(() => {
  for (const [key, value] of [
    ['LD_LIBRARY_PATH', saved.ld],
    ['MEDIASOUP_WORKER_CACHE', saved.cache],
    ['MEDIASOUP_WORKER_BIN', saved.bin],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const ldd = (file: string) => execFileSync('ldd', [file], { encoding: 'utf8' });

describe('withLibraryDir', () => {
  it('puts the directory first once, or takes it out', () => {
    expect(withLibraryDir(undefined, '/c/l', true)).toBe('/c/l');
    expect(withLibraryDir('/a:/c/l:/b', '/c/l', true)).toBe('/c/l:/a:/b');
    expect(withLibraryDir('/a:/c/l::/b', '/c/l', false)).toBe('/a:/b');
    expect(withLibraryDir('/c/l', '/c/l', false)).toBe('');
  });
});

describe('crypto backend of a libsrtp2 file', () => {
  it.skipIf(!existsSync(debian))("Debian's libsrtp2 is the NSS one", () => {
    expect(ldd(debian)).toContain('libnss3.so');
    expect(libsrtpBackend(debian)).toBe('nss');
  });

  // Setup builds it; when the Debian archive is unreachable, setup warns and the worker runs on Debian's.
  it.skipIf(!cached)('the cached build links libcrypto, not libnss3, under the same soname', () => {
    const file = cached as string;
    const libs = ldd(file);
    expect(libs).toMatch(/libcrypto\.so\.3 => /);
    expect(libs).not.toContain('libnss3');
    expect(execFileSync('objdump', ['-p', file], { encoding: 'utf8' })).toMatch(/SONAME\s+libsrtp2\.so\.1\b/);
    expect(libsrtpBackend(file)).toBe('openssl');
  });

  it('is unknown for a missing file or process', () => {
    expect(libsrtpBackend('/nonexistent/libsrtp2.so.1')).toBe('unknown');
    expect(workerLibsrtp(null)).toEqual({ library: null, backend: 'unknown' });
    expect(describeWorkerLibsrtp({ library: null, backend: 'unknown' }).slow).toBe(true);
  });
});

/** A real SFU with one worker; its log lines as objects. */
async function sfuLog(): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const sfu = await createSfu({ numWorkers: 1 }, pino({ level: 'info' }, sink));
  expect(sfu.unavailableReason()).toBeNull();
  await sfu.close();
  return lines;
}

const srtpLine = (lines: Record<string, unknown>[]) => lines.find((l) => String(l.msg).startsWith('mediasoup worker SRTP:'));

describe('the SFU worker', () => {
  it.skipIf(!cached || !existsSync(workerBin))('loads the OpenSSL libsrtp2 by default and logs it', { timeout: 30_000 }, async () => {
    process.env.MEDIASOUP_WORKER_CACHE = cacheDir;
    delete process.env.MEDIASOUP_WORKER_BIN;
    const line = srtpLine(await sfuLog());
    expect(line, 'no "mediasoup worker SRTP" log line').toBeDefined();
    expect(line).toMatchObject({ level: 30, backend: 'openssl', library: cached });
    expect(String(process.env.LD_LIBRARY_PATH).split(':')[0]).toBe(join(cacheDir, 'libsrtp2-openssl'));
  });

  it.skipIf(!existsSync(workerBin))("runs on Debian's libsrtp2 without the OpenSSL one, and warns", { timeout: 30_000 }, async () => {
    const empty = mkdtempSync(join(tmpdir(), 'msw-cache-'));
    process.env.LD_LIBRARY_PATH = withLibraryDir(saved.ld, join(cacheDir, 'libsrtp2-openssl'), false);
    process.env.MEDIASOUP_WORKER_CACHE = empty; // no libsrtp2-openssl here
    process.env.MEDIASOUP_WORKER_BIN = workerBin;
    try {
      const line = srtpLine(await sfuLog());
      expect(line).toMatchObject({ level: 40, backend: 'nss' });
      expect(String(line?.msg)).toMatch(/Debian's libsrtp2 on NSS.*build-libsrtp2-openssl\.sh/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
      selectLibsrtp(cacheDir);
    }
  });
});
