// The SFU as the server process holds it: what signaling consumes (SfuService, owned by signaling)
// plus what only the process needs: object counts and traffic totals for metrics, and shutdown.
import type { SfuService } from '../../signaling/sfu-service';

export interface SfuCounts {
  rooms: number;
  peers: number;
  producers: number;
  consumers: number;
  workers: number;
}

/** Bytes through every SFU transport, seen from the server: in = from browsers, out = to them. */
export interface SfuTraffic {
  bytesIn: number;
  bytesOut: number;
}

export interface ServerSfu extends SfuService {
  /** Live object counts, for metrics. */
  counts(): SfuCounts;
  /** Sums of every room's roomRates(), so metrics and stats:server read the same measurement. */
  traffic(): Promise<SfuTraffic>;
  /** The process id of the worker with the most rooms, for the failure drill; null without workers. */
  busiestWorkerPid(): number | null;
  close(): Promise<void>;
}
