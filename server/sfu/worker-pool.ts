// The mediasoup worker processes: starts one per core, hands out the least-loaded one for a new
// room, and replaces a worker that dies. It knows workers and load counts, not rooms or peers.
import { EventEmitter } from 'node:events';
import { setPriority } from 'node:os';
import type { Logger } from 'pino';
import type { types } from 'mediasoup';
import type { ResolvedSfuConfig } from './config';

type Mediasoup = typeof import('mediasoup');

export interface WorkerPoolEvents {
  /** A worker exited unexpectedly; everything that lived on it is already closed by mediasoup. */
  workerDied: [worker: types.Worker, reason: string];
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly load = new Map<types.Worker, number>();
  private closed = false;
  private nextIndex = 0;
  private niceRefused = false;

  constructor(
    private readonly mediasoup: Mediasoup,
    private readonly config: ResolvedSfuConfig,
    private readonly logger: Logger,
  ) {
    super();
  }

  get size(): number {
    return this.load.size;
  }

  /** Starts every worker; rejects (after closing those that started) if any fails to start. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(
      Array.from({ length: this.config.numWorkers }, () => this.spawn()),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      this.close();
      throw failure.reason;
    }
  }

  /** The worker with the fewest rooms; ties go round-robin so rooms spread evenly. */
  acquire(): types.Worker | null {
    const workers = [...this.load.keys()];
    if (!workers.length) return null;
    let best: types.Worker | null = null;
    let bestLoad = Infinity;
    for (let i = 0; i < workers.length; i++) {
      const worker = workers[(this.nextIndex + i) % workers.length];
      const load = this.load.get(worker) ?? 0;
      if (load < bestLoad) {
        best = worker;
        bestLoad = load;
      }
    }
    this.nextIndex = (this.nextIndex + 1) % workers.length;
    if (best) this.load.set(best, bestLoad + 1);
    return best;
  }

  /** The process id of the worker hosting the most rooms (the failure drill's target), or null. */
  busiestPid(): number | null {
    const [busiest] = [...this.load.entries()].sort(([, a], [, b]) => b - a);
    return busiest ? busiest[0].pid : null;
  }

  release(worker: types.Worker): void {
    const load = this.load.get(worker);
    if (load !== undefined) this.load.set(worker, Math.max(0, load - 1));
  }

  close(): void {
    this.closed = true;
    for (const worker of this.load.keys()) worker.close();
    this.load.clear();
  }

  private async spawn(): Promise<types.Worker> {
    const worker = await this.mediasoup.createWorker({
      logLevel: this.config.workerLogLevel,
      rtcMinPort: this.config.rtcMinPort,
      rtcMaxPort: this.config.rtcMaxPort,
    });
    if (this.closed) {
      worker.close();
      throw new Error('worker pool closed while a worker was starting');
    }
    this.load.set(worker, 0);
    worker.on('died', (error) => this.onDied(worker, error));
    this.prioritize(worker);
    this.logger.info({ pid: worker.pid, workers: this.load.size, nice: this.config.workerNice }, 'mediasoup worker started');
    return worker;
  }

  /** Gives the worker its configured priority (config.ts, workerNice: why); a refusal is logged once. */
  private prioritize(worker: types.Worker): void {
    const nice = this.config.workerNice;
    if (nice === null) return;
    try {
      setPriority(worker.pid, nice);
    } catch (err) {
      if (this.niceRefused) return;
      this.niceRefused = true;
      this.logger.warn({ err, nice }, 'could not raise the mediasoup workers\' priority (needs root or CAP_SYS_NICE; SFU_WORKER_NICE); on a busy machine the SFU send side may then back off');
    }
  }

  private onDied(worker: types.Worker, error: Error): void {
    const reason = `mediasoup worker died (${error.message})`;
    this.logger.error({ pid: worker.pid, err: error }, 'mediasoup worker died; replacing it');
    this.load.delete(worker);
    this.emit('workerDied', worker, reason);
    if (this.closed) return;
    this.spawn().catch((err: unknown) => {
      this.logger.error({ err, workers: this.load.size }, 'could not start a replacement mediasoup worker');
    });
  }
}
