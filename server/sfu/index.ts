// The SFU's entry point: createSfu() finds the worker binary, imports mediasoup only after
// pointing it at that binary, starts the worker pool, and never throws on a missing worker.
import type { Logger } from 'pino';
import { resolveSfuConfig, type SfuConfig } from './config';
import { MediasoupSfu } from './mediasoup-sfu';
import { describeWorkerLibsrtp, workerLibsrtp } from './libsrtp';
import { resolveWorkerBin } from './worker-bin';
import { WorkerPool } from './worker-pool';

export type { SfuConfig } from './config';
export { MediasoupSfu } from './mediasoup-sfu';

type Mediasoup = typeof import('mediasoup');

/**
 * Resolves once the workers are up or it is known why they cannot be; check
 * `unavailableReason()` on the result. Rejects only on an invalid config.
 */
export async function createSfu(config: SfuConfig = {}, logger: Logger): Promise<MediasoupSfu> {
  const resolved = resolveSfuConfig(config);
  const log = logger.child({ module: 'sfu' });
  const sfu = new MediasoupSfu(resolved, log);
  const { pool, reason } = await startPool(resolved, log);
  sfu.attach(pool, reason);
  if (reason) log.warn({ reason }, 'SFU unavailable; mesh rooms still work');
  return sfu;
}

async function startPool(
  config: ReturnType<typeof resolveSfuConfig>,
  logger: Logger,
): Promise<{ pool: WorkerPool | null; reason: string | null }> {
  const bin = resolveWorkerBin();
  if (!bin.version) {
    return { pool: null, reason: 'mediasoup is not installed (node_modules/mediasoup is missing); run npm install' };
  }
  if (!bin.exists) {
    return {
      pool: null,
      reason: `mediasoup worker binary not found at ${bin.path}; run scripts/build-mediasoup-worker.sh`,
    };
  }
  try {
    const mod = (await import('mediasoup')) as Mediasoup & { default?: Mediasoup };
    const mediasoup = typeof mod.createWorker === 'function' ? mod : (mod.default as Mediasoup);
    if (mediasoup.workerBin !== bin.path) {
      logger.warn({ expected: bin.path, actual: mediasoup.workerBin }, 'mediasoup was imported before its worker path was set');
    }
    const pool = new WorkerPool(mediasoup, config, logger);
    await pool.start();
    logger.info({ workers: pool.size, workerBin: mediasoup.workerBin }, 'SFU ready');
    const srtp = workerLibsrtp(pool.busiestPid());
    const { message, slow } = describeWorkerLibsrtp(srtp); // which libsrtp2 and crypto the worker loaded
    logger[slow ? 'warn' : 'info'](srtp, message);
    return { pool, reason: null };
  } catch (err) {
    logger.error({ err, workerBin: bin.path }, 'mediasoup worker failed to start');
    const message = err instanceof Error ? err.message : String(err);
    return { pool: null, reason: `mediasoup worker at ${bin.path} failed to start: ${message}` };
  }
}
