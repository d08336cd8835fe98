// A synthetic VP8 sender: one loopback UDP socket pacing RTP packets at a fixed bitrate into a
// mediasoup PlainTransport (comedia), answering the SFU's PLI/FIR with a key frame.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { buildVp8Packet, hasKeyFrameRequest, RTP_HEADER_BYTES } from './rtp';

export interface SenderOptions {
  ssrc: number;
  payloadType: number;
  bitrateKbps: number;
  /** RTP payload size in bytes (descriptor included); the header adds 12. */
  payloadBytes: number;
  fps: number;
  /** A key frame at least this often, so a consumer whose PLI got lost still syncs. */
  keyFrameIntervalS: number;
}

const TICK_MS = 5;
/** If the event loop stalls longer than this, drop the backlog instead of bursting it out. */
const MAX_BACKLOG_MS = 250;

export class SyntheticSender {
  readonly packetsPerSecond: number;
  readonly packetsPerFrame: number;
  /** Packets handed to the socket so far. */
  packetsSent = 0;
  keyFrameRequests = 0;
  sendErrors = 0;
  /** Packets never sent because the event loop stalled (the rate fell behind). */
  packetsSkipped = 0;

  private readonly socket: Socket;
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private keyFramePending = true;
  private readonly seqBase = Math.floor(Math.random() * 0x10000);
  private readonly tsBase = Math.floor(Math.random() * 0x1_0000_0000);
  private readonly tsPerFrame: number;
  private readonly framesPerKeyFrame: number;

  constructor(private readonly opts: SenderOptions) {
    const packetBits = 8 * (opts.payloadBytes + RTP_HEADER_BYTES);
    this.packetsPerSecond = Math.max(1, Math.round((opts.bitrateKbps * 1000) / packetBits));
    this.packetsPerFrame = Math.max(1, Math.ceil(this.packetsPerSecond / opts.fps));
    const framesPerSecond = this.packetsPerSecond / this.packetsPerFrame;
    this.tsPerFrame = Math.round(90_000 / framesPerSecond);
    this.framesPerKeyFrame = Math.max(1, Math.round(framesPerSecond * opts.keyFrameIntervalS));
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg) => {
      if (hasKeyFrameRequest(msg)) {
        this.keyFrameRequests += 1;
        this.keyFramePending = true;
      }
    });
    this.socket.on('error', () => {
      this.sendErrors += 1;
    });
  }

  /** Binds to 127.0.0.1 and starts pacing packets to 127.0.0.1:port (the transport's tuple). */
  async start(port: number): Promise<void> {
    this.socket.bind(0, '127.0.0.1');
    await once(this.socket, 'listening');
    this.socket.connect(port, '127.0.0.1');
    await once(this.socket, 'connect');
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops pacing until resume(); nothing is owed for the pause (no burst, no skipped packets). */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  resume(): void {
    if (this.timer || this.startedAt === 0) return;
    // Restart the schedule where it stopped.
    this.startedAt = performance.now() - ((this.packetsSent + this.packetsSkipped) * 1000) / this.packetsPerSecond;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    const now = performance.now();
    const due = Math.floor(((now - this.startedAt) * this.packetsPerSecond) / 1000);
    const sentOrSkipped = this.packetsSent + this.packetsSkipped;
    const backlog = due - sentOrSkipped;
    const maxBacklog = Math.ceil((MAX_BACKLOG_MS * this.packetsPerSecond) / 1000);
    if (backlog > maxBacklog) this.packetsSkipped += backlog - maxBacklog;
    while (this.packetsSent + this.packetsSkipped < due) this.sendOne();
  }

  private sendOne(): void {
    // Sequence numbers stay contiguous across skipped slots: a stall is not loss.
    const k = this.packetsSent;
    const frame = Math.floor(k / this.packetsPerFrame);
    const pos = k % this.packetsPerFrame;
    const startOfFrame = pos === 0;
    let keyFrame = false;
    if (startOfFrame && (this.keyFramePending || frame % this.framesPerKeyFrame === 0)) {
      keyFrame = true;
      this.keyFramePending = false;
    }
    const packet = buildVp8Packet({
      payloadType: this.opts.payloadType,
      sequenceNumber: this.seqBase + k,
      timestamp: this.tsBase + frame * this.tsPerFrame,
      ssrc: this.opts.ssrc,
      marker: pos === this.packetsPerFrame - 1,
      startOfFrame,
      keyFrame,
      pictureId: frame & 0x7fff,
      payloadBytes: this.opts.payloadBytes,
    });
    this.packetsSent += 1;
    this.socket.send(packet, (err) => {
      if (err) this.sendErrors += 1;
    });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
