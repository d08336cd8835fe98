// Where scripts/build/build-libsrtp2-openssl.sh (run by the setup) caches libsrtp2 built on OpenSSL, how a mediasoup
// worker gets it (LD_LIBRARY_PATH: mediasoup spawns its workers with the parent's environment),
// and which libsrtp2 a running worker really loaded, read from /proc/<pid>/maps.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LIBSRTP_SONAME = 'libsrtp2.so.1';

/** The crypto library under a libsrtp2: 'builtin' is libsrtp's own C code (no external library). */
export type SrtpCryptoBackend = 'openssl' | 'nss' | 'builtin' | 'unknown';

export interface WorkerLibsrtp {
  /** The libsrtp2 file the process mapped, or null (not found, no such process, no /proc). */
  library: string | null;
  backend: SrtpCryptoBackend;
}

export function opensslLibsrtpDir(cacheDir: string): string {
  return join(cacheDir, 'libsrtp2-openssl');
}

/** The cached OpenSSL libsrtp2, or null when it has not been built. */
export function opensslLibsrtp(cacheDir: string): string | null {
  const lib = join(opensslLibsrtpDir(cacheDir), LIBSRTP_SONAME);
  return existsSync(lib) ? lib : null;
}

/** `current` (a LD_LIBRARY_PATH value) with `dir` first, or without it when `use` is false. */
export function withLibraryDir(current: string | undefined, dir: string, use: boolean): string {
  const rest = (current ?? '').split(':').filter((p) => p !== '' && p !== dir);
  return (use ? [dir, ...rest] : rest).join(':');
}

/**
 * Makes workers spawned from now on load the OpenSSL libsrtp2 when it is cached (returns its path),
 * or Debian's when `use` is false or it is missing (returns null); edits process.env.LD_LIBRARY_PATH,
 * which mediasoup's createWorker() copies into each worker. Nothing else this project spawns
 * links libsrtp2, and the directory holds no other library.
 */
export function selectLibsrtp(cacheDir: string, use = true): string | null {
  const lib = use ? opensslLibsrtp(cacheDir) : null;
  const value = withLibraryDir(process.env.LD_LIBRARY_PATH, opensslLibsrtpDir(cacheDir), lib !== null);
  if (value) process.env.LD_LIBRARY_PATH = value;
  else delete process.env.LD_LIBRARY_PATH;
  return lib;
}

/**
 * The crypto backend a libsrtp2 file links: its dynamic string table names libcrypto (OpenSSL) or
 * libnss3 (NSS). 'unknown' when the file cannot be read.
 */
export function libsrtpBackend(file: string): SrtpCryptoBackend {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return 'unknown';
  }
  if (bytes.includes('libnss3.so\0')) return 'nss';
  if (bytes.includes('libcrypto.so.')) return 'openssl';
  return 'builtin';
}

/** The libsrtp2 a running process (a mediasoup worker) loaded, and its crypto backend. */
export function workerLibsrtp(pid: number | null | undefined): WorkerLibsrtp {
  if (!pid) return { library: null, backend: 'unknown' };
  let maps: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return { library: null, backend: 'unknown' };
  }
  const line = maps.split('\n').find((l) => /\/libsrtp2\.so[.\d]*$/.test(l));
  const library = line ? line.slice(line.indexOf('/')) : null;
  return { library, backend: library ? libsrtpBackend(library) : 'unknown' };
}

/** The log line for a worker's libsrtp2, and whether it is the slow one (anything but OpenSSL). */
export function describeWorkerLibsrtp(w: WorkerLibsrtp): { message: string; slow: boolean } {
  const where = w.library ?? 'libsrtp2 not found in the worker\'s memory map';
  if (w.backend === 'openssl') return { message: `mediasoup worker SRTP: libsrtp2 on OpenSSL (${where})`, slow: false };
  const name = w.backend === 'nss' ? "Debian's libsrtp2 on NSS" : `libsrtp2 with crypto backend "${w.backend}"`;
  return {
    message:
      `mediasoup worker SRTP: ${name} (${where}): about twice the worker CPU per SRTP packet of libsrtp2 on OpenSSL ` +
      '(README, "npm run bench:sfu-capacity -- --compare-srtp"); ' +
      'scripts/build/build-libsrtp2-openssl.sh (run by scripts/setup.sh) builds the OpenSSL one',
    slow: true,
  };
}
