// Loopback UDP sinks for SFU consumers: a small pool of sockets that many PlainTransports send to,
// counting RTP packets and bytes per SSRC (each consumer has its own SSRC; RTCP is ignored).
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { rtpSsrc } from './rtp';

export interface SsrcCounter {
  packets: number;
  bytes: number;
}

/** Asked for; the kernel caps it at net.core.rmem_max unless that was raised. */
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

export class SinkPool {
  /** RTP packets whose SSRC no consumer registered (should stay 0). */
  unknownPackets = 0;
  totalPackets = 0;
  totalBytes = 0;
  private readonly sockets: Socket[] = [];
  private readonly counters = new Map<number, SsrcCounter>();

  async open(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const socket = createSocket({ type: 'udp4', recvBufferSize: RECV_BUFFER_BYTES });
      socket.on('message', (msg) => this.onMessage(msg));
      socket.on('error', () => {
        // A sink error only shows up as loss; the benchmark reports that.
      });
      this.sockets.push(socket);
      socket.bind(0, '127.0.0.1');
      await once(socket, 'listening');
    }
  }

  /** Port of sink i (round-robin over the pool). */
  port(i: number): number {
    const socket = this.sockets[i % this.sockets.length];
    if (!socket) throw new Error('SinkPool.port() called before open()');
    return socket.address().port;
  }

  /** Effective receive buffer of the first socket, bytes (after the kernel's cap). */
  recvBufferSize(): number {
    return this.sockets[0]?.getRecvBufferSize() ?? 0;
  }

  register(ssrc: number): SsrcCounter {
    const counter: SsrcCounter = { packets: 0, bytes: 0 };
    this.counters.set(ssrc, counter);
    return counter;
  }

  private onMessage(msg: Buffer): void {
    const ssrc = rtpSsrc(msg);
    if (ssrc === null) return;
    const counter = this.counters.get(ssrc);
    if (!counter) {
      this.unknownPackets += 1;
      return;
    }
    counter.packets += 1;
    counter.bytes += msg.length;
    this.totalPackets += 1;
    this.totalBytes += msg.length;
  }

  close(): void {
    for (const socket of this.sockets) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    this.sockets.length = 0;
  }
}
