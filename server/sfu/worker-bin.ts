// Finds the mediasoup worker binary (built offline by scripts/build-mediasoup-worker.sh) and points
// MEDIASOUP_WORKER_BIN at it; mediasoup reads that variable once, when it is first imported.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { selectLibsrtp } from './libsrtp';

export interface WorkerBin {
  path: string;
  exists: boolean;
  /** The installed mediasoup version the binary must match, or null if mediasoup is not installed. */
  version: string | null;
}

export function mediasoupVersion(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('mediasoup/package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

/** Resolves the worker path (env MEDIASOUP_WORKER_BIN wins), exports it, and says whether it exists. */
export function resolveWorkerBin(env: Record<string, string | undefined> = process.env): WorkerBin {
  const version = mediasoupVersion();
  const cacheDir = env.MEDIASOUP_WORKER_CACHE || join(homedir(), '.cache', 'mesh-vs-sfu');
  const path = env.MEDIASOUP_WORKER_BIN || join(cacheDir, `mediasoup-worker-${version ?? 'unknown'}`);
  process.env.MEDIASOUP_WORKER_BIN = path;
  selectLibsrtp(cacheDir); // libsrtp2 on OpenSSL when built (LD_LIBRARY_PATH), else Debian's on NSS
  return { path, exists: existsSync(path), version };
}
