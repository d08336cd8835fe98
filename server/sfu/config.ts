// SFU settings with their defaults, and the codecs every room's router offers.
import { cpus } from 'node:os';
import type { types } from 'mediasoup';

export interface SfuConfig {
  /** mediasoup workers (one process each); default: one per core. */
  numWorkers?: number;
  /** Address the WebRTC transports bind to; default 127.0.0.1. */
  listenIp?: string;
  /** Address put into ICE candidates when listenIp is not reachable as is (0.0.0.0, NAT). */
  announcedAddress?: string;
  /** Further addresses to listen on, announced as they are (the machine's LAN address for Firefox). */
  alsoListenIps?: string[];
  rtcMinPort?: number;
  rtcMaxPort?: number;
  initialAvailableOutgoingBitrate?: number;
  /** Cap on what one transport may send us, bits per second. */
  maxIncomingBitrate?: number;
  /** mediasoup worker log level; default 'warn'. */
  workerLogLevel?: types.WorkerLogLevel;
  /**
   * Scheduling priority (nice, -20..19) given to each worker process; null leaves it as the
   * server's. Default -15. A worker forwards everyone's media and timestamps every packet it reads
   * for the senders' congestion control (transport-cc): when busy processes delay it, packets wait
   * in its socket and their late arrival times read as network queuing, so the browsers' send-side
   * estimate collapses and the full simulcast layer switches off (README "How the modes work").
   * Raising a priority needs root or CAP_SYS_NICE; without them the server logs it once and goes on.
   */
  workerNice?: number | null;
}

export type ResolvedSfuConfig = Required<Omit<SfuConfig, 'announcedAddress' | 'workerNice'>> & Pick<SfuConfig, 'announcedAddress'> & { workerNice: number | null };

export function resolveSfuConfig(config: SfuConfig = {}): ResolvedSfuConfig {
  const resolved: ResolvedSfuConfig = {
    numWorkers: config.numWorkers ?? Math.max(1, cpus().length),
    listenIp: config.listenIp ?? '127.0.0.1',
    announcedAddress: config.announcedAddress || undefined,
    alsoListenIps: config.alsoListenIps ?? [],
    rtcMinPort: config.rtcMinPort ?? 40000,
    rtcMaxPort: config.rtcMaxPort ?? 40999,
    initialAvailableOutgoingBitrate: config.initialAvailableOutgoingBitrate ?? 1_000_000,
    maxIncomingBitrate: config.maxIncomingBitrate ?? 1_500_000,
    workerLogLevel: config.workerLogLevel ?? 'warn',
    workerNice: config.workerNice === undefined ? -15 : config.workerNice,
  };
  if (!Number.isInteger(resolved.numWorkers) || resolved.numWorkers < 1) {
    throw new RangeError(`sfu numWorkers must be a positive integer, got ${resolved.numWorkers}`);
  }
  if (resolved.workerNice !== null && (!Number.isInteger(resolved.workerNice) || resolved.workerNice < -20 || resolved.workerNice > 19)) {
    throw new RangeError(`sfu workerNice must be an integer in -20..19 or null, got ${resolved.workerNice}`);
  }
  if (resolved.rtcMinPort > resolved.rtcMaxPort) {
    throw new RangeError(`sfu rtcMinPort ${resolved.rtcMinPort} exceeds rtcMaxPort ${resolved.rtcMaxPort}`);
  }
  return resolved;
}

export const MEDIA_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
      'x-google-start-bitrate': 1000,
    },
  },
];

/** Guards against a client piling up media objects on the server. */
export const LIMITS = {
  transportsPerPeer: 4,
  producersPerPeer: 4,
} as const;
