// The mediasoup side of the SFU capacity benchmark: one worker, one VP8+Opus router, synthetic
// producers fed over comedia PlainTransports, and consumers on PlainTransports aimed at loopback sinks.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../../../../server/sfu/worker-bin';
import { workerLibsrtp, type WorkerLibsrtp } from '../../../../server/sfu/libsrtp';
import { SyntheticSender, type SenderOptions } from './sender';
import { SinkPool, type SsrcCounter } from './sink';

type Mediasoup = typeof import('mediasoup');

export const VP8_PAYLOAD_TYPE = 101;

/** Master key + salt bytes per SRTP suite (mediasoup refuses a key of another length). */
export const SRTP_KEY_BYTES: Record<types.SrtpCryptoSuite, number> = {
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
  AEAD_AES_128_GCM: 28,
  AEAD_AES_256_GCM: 44,
};
export const SRTP_SUITES = Object.keys(SRTP_KEY_BYTES) as types.SrtpCryptoSuite[];

const ROUTER_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

export interface RigOptions {
  producers: number;
  sender: Omit<SenderOptions, 'ssrc' | 'payloadType'>;
  /** Encrypt consumer egress with SRTP, as every WebRTC consumer is. */
  srtp: boolean;
  /** The SRTP suite when `srtp` (default AES_CM_128_HMAC_SHA1_80). */
  srtpSuite?: types.SrtpCryptoSuite;
  sinkSockets: number;
}

interface ProducerSlot {
  sender: SyntheticSender;
  producer: types.Producer;
  consumers: number;
}

export interface ConsumerSlot {
  producerIndex: number;
  counter: SsrcCounter;
}

/** Imports mediasoup only after MEDIASOUP_WORKER_BIN points at the cached worker binary. */
export async function loadMediasoup(): Promise<Mediasoup> {
  const bin = resolveWorkerBin();
  if (!bin.exists) throw new Error(`mediasoup worker binary not found at ${bin.path}; run scripts/build/build-mediasoup-worker.sh`);
  const mod = (await import('mediasoup')) as Mediasoup & { default?: Mediasoup };
  return typeof mod.createWorker === 'function' ? mod : (mod.default as Mediasoup);
}

export class SfuRig {
  readonly sinks = new SinkPool();
  readonly producers: ProducerSlot[] = [];
  readonly consumers: ConsumerSlot[] = [];
  private worker: types.Worker | null = null;
  private router: types.Router | null = null;
  private consumerCaps: types.RtpCapabilities = { codecs: [], headerExtensions: [] };
  private workerDiedError: Error | null = null;

  constructor(private readonly opts: RigOptions) {}

  get workerPid(): number | null {
    return this.worker?.pid ?? null;
  }

  /** The libsrtp2 the worker process loaded and its crypto backend (from /proc/<pid>/maps). */
  get libsrtp(): WorkerLibsrtp {
    return workerLibsrtp(this.worker?.pid);
  }

  /** Set once the worker process has died; every later call fails with it. */
  get died(): Error | null {
    return this.workerDiedError;
  }

  async start(mediasoup: Mediasoup): Promise<void> {
    this.worker = await mediasoup.createWorker({ logLevel: 'error' });
    this.worker.on('died', (err) => {
      this.workerDiedError = err instanceof Error ? err : new Error(String(err));
    });
    this.router = await this.worker.createRouter({ mediaCodecs: ROUTER_CODECS });
    const vp8 = this.router.rtpCapabilities.codecs?.filter((c) => c.mimeType.toLowerCase() === 'video/vp8') ?? [];
    // No RTX and no header extensions: the sinks never send NACK or congestion feedback.
    this.consumerCaps = { codecs: vp8, headerExtensions: [] };
    await this.sinks.open(this.opts.sinkSockets);
    for (let i = 0; i < this.opts.producers; i += 1) await this.addProducer(i);
  }

  private async addProducer(index: number): Promise<void> {
    const router = this.requireRouter();
    const ssrc = 0x1000_0000 + index;
    const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
    const producer = await transport.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/VP8',
            payloadType: VP8_PAYLOAD_TYPE,
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
          },
        ],
        encodings: [{ ssrc }],
        rtcp: { cname: `bench-producer-${index}`, reducedSize: true },
      },
    });
    const payloadType = producer.rtpParameters.codecs[0]?.payloadType ?? VP8_PAYLOAD_TYPE;
    const sender = new SyntheticSender({ ...this.opts.sender, ssrc, payloadType });
    this.producers.push({ sender, producer, consumers: 0 });
    await sender.start(transport.tuple.localPort);
  }

  /** Adds consumers (round-robin over producers, like rooms) until there are `target` of them. */
  async growTo(target: number): Promise<void> {
    const batch: Promise<void>[] = [];
    for (let i = this.consumers.length; i < target; i += 1) {
      batch.push(this.addConsumer(i));
      if (batch.length >= 25) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
  }

  private async addConsumer(index: number): Promise<void> {
    if (this.workerDiedError) throw this.workerDiedError;
    const router = this.requireRouter();
    const producerIndex = index % this.producers.length;
    const slot = this.producers[producerIndex];
    const suite = this.opts.srtpSuite ?? 'AES_CM_128_HMAC_SHA1_80';
    const transport = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: true,
      comedia: false,
      enableSrtp: this.opts.srtp,
      srtpCryptoSuite: suite,
    });
    await transport.connect({
      ip: '127.0.0.1',
      port: this.sinks.port(index),
      srtpParameters: this.opts.srtp
        ? { cryptoSuite: suite, keyBase64: randomBytes(SRTP_KEY_BYTES[suite]).toString('base64') }
        : undefined,
    });
    const consumer = await transport.consume({
      producerId: slot.producer.id,
      rtpCapabilities: this.consumerCaps,
    });
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc === undefined) throw new Error(`consumer ${consumer.id} has no SSRC`);
    this.consumers.push({ producerIndex, counter: this.sinks.register(ssrc) });
    slot.consumers += 1;
  }

  /**
   * Worker CPU time so far from /proc/<pid>/stat (utime + stime, in USER_HZ = 100 ticks/s on
   * Linux), read synchronously so it lines up with the packet counters; null where unreadable.
   * Preferred over getResourceUsage(), whose answer waits behind a busy worker's packet backlog.
   */
  workerProcCpuMs(): number | null {
    const pid = this.worker?.pid;
    if (!pid) return null;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of stat(5)
      return Number.isFinite(ticks) ? ticks * 10 : null;
    } catch {
      return null;
    }
  }

  /** Worker CPU time so far (user + system) from the worker itself, milliseconds. */
  async workerCpuMs(): Promise<number> {
    if (!this.worker) throw new Error('worker not started');
    const usage = await this.worker.getResourceUsage();
    return usage.ru_utime + usage.ru_stime;
  }

  private requireRouter(): types.Router {
    if (!this.router) throw new Error('SfuRig.start() has not run');
    return this.router;
  }

  /** Stops (resume: restarts) every producer's packets, so rigs can take turns on one machine. */
  pause(): void {
    for (const p of this.producers) p.sender.pause();
  }

  resume(): void {
    for (const p of this.producers) p.sender.resume();
  }

  /** Idempotent; safe after a partial start or a dead worker. */
  close(): void {
    for (const p of this.producers) p.sender.close();
    this.sinks.close();
    if (this.worker && !this.worker.closed) this.worker.close();
  }
}
