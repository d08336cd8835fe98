// Frame-paced synthetic media streams for the synthetic topology benchmark: a VP8 video stream cut
// into RTP packets frame by frame, and an Opus-like audio stream (one 20 ms packet per frame). Pure:
// the caller owns the clock and the socket.
import { buildVp8Packet, RTP_HEADER_BYTES } from './rtp';

export type StreamKind = 'audio' | 'video';

export interface StreamSpec {
  kind: StreamKind;
  /** What the stream is, for the record: 'audio', 'low', 'full'. */
  label: string;
  ssrc: number;
  payloadType: number;
  /** Payload rate (what an encoder targets; RTP headers come on top), kbit/s. */
  kbps: number;
  /** Frames per second (audio: 50, one 20 ms Opus frame per packet). */
  fps: number;
}

/** Largest RTP payload per packet, as browsers keep video packets under a 1200-byte MTU budget. */
export const MAX_PAYLOAD_BYTES = 1200;
export const AUDIO_FPS = 50;
/** A key frame at least this often, so a stream that lost its key frame request still syncs. */
const KEY_FRAME_INTERVAL_FRAMES = 60;
/** VP8's smallest payload that buildVp8Packet accepts (descriptor + key-frame header). */
const MIN_VP8_PAYLOAD = 14;

/** Payload bytes of each packet of one frame: the frame's bytes split evenly under the MTU budget. */
export function framePacketSizes(spec: Pick<StreamSpec, 'kind' | 'kbps' | 'fps'>): number[] {
  const frameBytes = Math.max(1, Math.round((spec.kbps * 1000) / 8 / spec.fps));
  if (spec.kind === 'audio') return [frameBytes];
  const count = Math.max(1, Math.ceil(frameBytes / MAX_PAYLOAD_BYTES));
  const each = Math.max(MIN_VP8_PAYLOAD, Math.floor(frameBytes / count));
  const sizes = Array.from({ length: count }, () => each);
  sizes[count - 1] = Math.max(MIN_VP8_PAYLOAD, frameBytes - each * (count - 1));
  return sizes;
}

/** Bytes on the wire per second for a stream (payload + RTP headers), the rate it really sends. */
export function wireKbps(spec: Pick<StreamSpec, 'kind' | 'kbps' | 'fps'>): number {
  const sizes = framePacketSizes(spec);
  const frameWire = sizes.reduce((a, b) => a + b + RTP_HEADER_BYTES, 0);
  return (frameWire * 8 * spec.fps) / 1000;
}

/**
 * One Opus-like RTP packet: a TOC byte for a 20 ms CELT full-band mono frame (config 31) and
 * filler. mediasoup reads only the header and the TOC; receivers here only count bytes.
 */
export function buildOpusPacket(f: { payloadType: number; sequenceNumber: number; timestamp: number; ssrc: number; payloadBytes: number }): Buffer {
  const buf = Buffer.alloc(RTP_HEADER_BYTES + Math.max(1, f.payloadBytes), 0x55);
  buf.writeUInt16BE(0x8000 | (f.payloadType & 0x7f), 0);
  buf.writeUInt16BE(f.sequenceNumber & 0xffff, 2);
  buf.writeUInt32BE(f.timestamp >>> 0, 4);
  buf.writeUInt32BE(f.ssrc >>> 0, 8);
  buf[RTP_HEADER_BYTES] = 31 << 3;
  return buf;
}

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

/**
 * An RTCP sender report without report blocks (RFC 3550 §6.4.1): 28 bytes. mediasoup switches a
 * simulcast consumer between layers only once both layers' streams have had one (it maps their
 * timestamps through it), as a browser's streams have.
 */
export function buildSenderReport(f: { ssrc: number; wallMs: number; rtpTimestamp: number; packets: number; octets: number }): Buffer {
  const buf = Buffer.alloc(28);
  buf.writeUInt16BE(0x8000 | 200, 0);
  buf.writeUInt16BE(6, 2);
  buf.writeUInt32BE(f.ssrc >>> 0, 4);
  const seconds = Math.floor(f.wallMs / 1000);
  buf.writeUInt32BE((seconds + NTP_UNIX_OFFSET_S) >>> 0, 8);
  buf.writeUInt32BE(Math.floor(((f.wallMs % 1000) / 1000) * 0x1_0000_0000) >>> 0, 12);
  buf.writeUInt32BE(f.rtpTimestamp >>> 0, 16);
  buf.writeUInt32BE(f.packets >>> 0, 20);
  buf.writeUInt32BE(f.octets >>> 0, 24);
  return buf;
}

/** A stream's packets frame after frame; counts what it produced. */
export class RtpStream {
  readonly sizes: number[];
  frames = 0;
  packets = 0;
  bytes = 0;
  private keyFramePending = true;
  private readonly seqBase = Math.floor(Math.random() * 0x10000);
  private readonly tsBase = Math.floor(Math.random() * 0x1_0000_0000);
  private readonly tsPerFrame: number;
  private readonly clockRate: number;

  constructor(readonly spec: StreamSpec) {
    this.sizes = framePacketSizes(spec);
    this.clockRate = spec.kind === 'audio' ? 48_000 : 90_000;
    this.tsPerFrame = Math.round(this.clockRate / spec.fps);
  }

  /** A sender report for `elapsedMs` after the stream's first frame (frame k is due at k / fps). */
  senderReport(elapsedMs: number, wallMs: number): Buffer {
    const rtpTimestamp = this.tsBase + Math.round((elapsedMs * this.clockRate) / 1000);
    return buildSenderReport({ ssrc: this.spec.ssrc, wallMs, rtpTimestamp, packets: this.packets, octets: this.bytes - this.packets * RTP_HEADER_BYTES });
  }

  /** The next frame is a key frame (a PLI or FIR named this stream). */
  requestKeyFrame(): void {
    this.keyFramePending = true;
  }

  /** The next frame's packets; advances the stream. */
  nextFrame(): Buffer[] {
    const frame = this.frames;
    const timestamp = this.tsBase + frame * this.tsPerFrame;
    const key = this.spec.kind === 'video' && (this.keyFramePending || frame % KEY_FRAME_INTERVAL_FRAMES === 0);
    if (key) this.keyFramePending = false;
    const out = this.sizes.map((payloadBytes, pos) => {
      const sequenceNumber = this.seqBase + this.packets + pos;
      const { payloadType, ssrc } = this.spec;
      if (this.spec.kind === 'audio') return buildOpusPacket({ payloadType, sequenceNumber, timestamp, ssrc, payloadBytes });
      const last = pos === this.sizes.length - 1;
      return buildVp8Packet({ payloadType, sequenceNumber, timestamp, ssrc, marker: last, startOfFrame: pos === 0, keyFrame: key, pictureId: frame & 0x7fff, payloadBytes });
    });
    this.frames += 1;
    this.packets += out.length;
    this.bytes += out.reduce((a, p) => a + p.length, 0);
    return out;
  }
}
