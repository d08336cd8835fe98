// The mediasoup side of the synthetic topology benchmark: one worker and one router with the app's
// codecs; per participant a send PlainTransport (comedia) with an audio producer and a two-layer
// simulcast VP8 producer, and a receive PlainTransport (SRTP, the app's suite) aimed at the
// participant's sink, consuming every other participant's audio and full layer.
import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../../../server/sfu/config';
import { AUDIO_FPS, type StreamSpec } from './rtp-streams';
import { SRTP_KEY_BYTES, VP8_PAYLOAD_TYPE } from './sfu-rig';

type Mediasoup = typeof import('mediasoup');

export const OPUS_PAYLOAD_TYPE = 111;
/** What Chromium and this SFU negotiate for WebRTC transports (tests/fixtures/stats/sfu-3tabs.json). */
export const APP_SRTP_SUITE: types.SrtpCryptoSuite = 'AEAD_AES_256_GCM';

/**
 * The app's caps (app/lib/call/video-encodings.ts; the kit may not import the app's code, and a
 * unit test keeps these equal): the low simulcast layer, and the full layer / each mesh copy.
 */
export const APP_LOW_LAYER_KBPS = 150;
export const APP_FULL_LAYER_CAP_KBPS = 900;

export interface StreamRates {
  audioKbps: number;
  lowKbps: number;
  fullKbps: number;
  videoFps: number;
}

/** The streams participant `index` sends into the SFU: audio, then the simulcast layers lowest first. */
export function sfuStreams(index: number, r: StreamRates): StreamSpec[] {
  const base = 0x2000_0000 + index * 16;
  return [
    { kind: 'audio', label: 'audio', ssrc: base, payloadType: OPUS_PAYLOAD_TYPE, kbps: r.audioKbps, fps: AUDIO_FPS },
    { kind: 'video', label: 'low', ssrc: base + 1, payloadType: VP8_PAYLOAD_TYPE, kbps: r.lowKbps, fps: r.videoFps },
    { kind: 'video', label: 'full', ssrc: base + 2, payloadType: VP8_PAYLOAD_TYPE, kbps: r.fullKbps, fps: r.videoFps },
  ];
}

/** One mesh copy from `from` to `to`: audio and the full-resolution video, SSRCs of their own. */
export function meshStreams(from: number, to: number, r: StreamRates): StreamSpec[] {
  const base = 0x3000_0000 + from * 4096 + to * 16;
  return [
    { kind: 'audio', label: 'audio', ssrc: base, payloadType: OPUS_PAYLOAD_TYPE, kbps: r.audioKbps, fps: AUDIO_FPS },
    { kind: 'video', label: 'full', ssrc: base + 2, payloadType: VP8_PAYLOAD_TYPE, kbps: r.fullKbps, fps: r.videoFps },
  ];
}

interface Member {
  send: types.PlainTransport;
  recv: types.PlainTransport;
  audio: types.Producer;
  video: types.Producer;
  consumers: types.Consumer[];
}

export interface TransportBytes {
  /** Per participant: bytes its send transport received (its upload as the SFU saw it). */
  received: number[];
  /** Per participant: bytes its receive transport sent (its download as the SFU sent it). */
  sent: number[];
}

export class SyntheticSfu {
  private readonly members: Member[] = [];
  private caps: types.RtpCapabilities = { codecs: [], headerExtensions: [] };

  private constructor(
    private readonly worker: types.Worker,
    private readonly router: types.Router,
    private readonly srtpSuite: types.SrtpCryptoSuite | null,
  ) {
    // No RTX and no header extensions: the sinks send no NACK or congestion feedback.
    const codecs = router.rtpCapabilities.codecs?.filter((c) => /^(audio\/opus|video\/vp8)$/i.test(c.mimeType)) ?? [];
    this.caps = { codecs, headerExtensions: [] };
  }

  /** A worker and a router with the app's codecs; `srtpSuite` null: consumers send plain RTP. */
  static async open(mediasoup: Mediasoup, srtpSuite: types.SrtpCryptoSuite | null): Promise<SyntheticSfu> {
    const worker = await mediasoup.createWorker({ logLevel: 'error' });
    try {
      const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      return new SyntheticSfu(worker, router, srtpSuite);
    } catch (err) {
      worker.close();
      throw err;
    }
  }

  get workerPid(): number {
    return this.worker.pid;
  }

  /** Participant `members.length`: its transports and producers; returns the port to send to. */
  async addParticipant(streams: StreamSpec[], sinkPort: number): Promise<number> {
    const index = this.members.length;
    const send = await this.router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
    const [audio, low, full] = streams;
    const rtcp = { cname: `synthetic-${index}`, reducedSize: true };
    const audioProducer = await send.produce({
      kind: 'audio',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: audio.payloadType, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: audio.ssrc }], rtcp },
    });
    const feedback = [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];
    const videoProducer = await send.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: full.payloadType, clockRate: 90000, rtcpFeedback: feedback }],
        encodings: [{ ssrc: low.ssrc, maxBitrate: low.kbps * 1000 }, { ssrc: full.ssrc, maxBitrate: full.kbps * 1000 }],
        rtcp,
      },
    });
    const suite = this.srtpSuite;
    const recv = await this.router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: false, enableSrtp: suite !== null, ...(suite ? { srtpCryptoSuite: suite } : {}) });
    await recv.connect({
      ip: '127.0.0.1',
      port: sinkPort,
      ...(suite ? { srtpParameters: { cryptoSuite: suite, keyBase64: randomBytes(SRTP_KEY_BYTES[suite]).toString('base64') } } : {}),
    });
    this.members.push({ send, recv, audio: audioProducer, video: videoProducer, consumers: [] });
    return send.tuple.localPort;
  }

  /** Every participant consumes every other one's audio and full layer (a large tile's choice). */
  async consumeAll(): Promise<void> {
    for (const [i, m] of this.members.entries()) {
      for (const [j, other] of this.members.entries()) {
        if (i === j) continue;
        m.consumers.push(await m.recv.consume({ producerId: other.audio.id, rtpCapabilities: this.caps }));
        m.consumers.push(await m.recv.consume({ producerId: other.video.id, rtpCapabilities: this.caps, preferredLayers: { spatialLayer: 1, temporalLayer: 0 } }));
      }
    }
  }

  /**
   * Asks every video consumer for the full layer again. mediasoup's simulcast consumer ignores a
   * layer until its stream has been active for 2 s and recalculates only on an event (a score
   * change, a key frame request, new preferred layers); steady synthetic streams give it no other.
   */
  async preferFullLayer(): Promise<void> {
    const video = this.members.flatMap((m) => m.consumers.filter((c) => c.kind === 'video'));
    await Promise.all(video.map((c) => c.setPreferredLayers({ spatialLayer: 1, temporalLayer: 0 })));
  }

  /** Video consumers forwarding the full layer now, and how many video consumers there are. */
  fullLayerConsumers(): { onFull: number; video: number } {
    const video = this.members.flatMap((m) => m.consumers.filter((c) => c.kind === 'video'));
    return { onFull: video.filter((c) => c.currentLayers?.spatialLayer === 1).length, video: video.length };
  }

  async transportBytes(): Promise<TransportBytes> {
    const first = async (t: types.PlainTransport) => (await t.getStats())[0];
    const stats = await Promise.all(this.members.map(async (m) => ({ send: await first(m.send), recv: await first(m.recv) })));
    return { received: stats.map((s) => s.send?.bytesReceived ?? NaN), sent: stats.map((s) => s.recv?.bytesSent ?? NaN) };
  }

  /** Closes the worker, and with it the router, transports, producers and consumers. */
  close(): void {
    if (!this.worker.closed) this.worker.close();
  }
}
