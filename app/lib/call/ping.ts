// Peer-to-peer round trip over the call's own path: a ping on a data channel, echoed as a pong by
// its target. Mesh sends it on each link's channel, SFU through mediasoup data producers; this
// class only builds, answers and times the messages, whatever carries them.

export interface PingMessage {
  type: 'ping' | 'pong';
  from: string;
  to: string;
  /** The pinger's performance.now(): the echo returns it, so the two clocks never need to agree. */
  t: number;
}

/** A ping unanswered for this long counts as lost (RTT reported as null). */
const STALE_MS = 5000;

export class PingTracker {
  private rtt = new Map<string, { ms: number; at: number }>();

  constructor(private readonly selfId: () => string) {}

  ping(to: string): string {
    const message: PingMessage = { type: 'ping', from: this.selfId(), to, t: performance.now() };
    return JSON.stringify(message);
  }

  /** Handles one inbound message; returns the pong to send back (to its sender), if any. */
  receive(data: unknown): string | null {
    const message = parse(data);
    if (!message || message.to !== this.selfId()) return null; // SFU channels carry everyone's pings
    if (message.type === 'ping') return JSON.stringify({ ...message, type: 'pong', from: message.to, to: message.from });
    const ms = performance.now() - message.t;
    if (ms >= 0) this.rtt.set(message.from, { ms, at: performance.now() });
    return null;
  }

  forget(peerId: string): void {
    this.rtt.delete(peerId);
  }

  /** Latest RTT per peer in ms; null when none arrived recently. */
  snapshot(peerIds: string[]): Record<string, number | null> {
    const now = performance.now();
    const out: Record<string, number | null> = {};
    for (const id of peerIds) {
      const entry = this.rtt.get(id);
      out[id] = entry && now - entry.at < STALE_MS ? Math.round(entry.ms * 10) / 10 : null;
    }
    return out;
  }
}

function parse(data: unknown): PingMessage | null {
  if (typeof data !== 'string' || data.length > 512) return null;
  try {
    const m = JSON.parse(data) as Partial<PingMessage>;
    const ok = (m.type === 'ping' || m.type === 'pong') && typeof m.from === 'string' && typeof m.to === 'string';
    return ok && typeof m.t === 'number' ? (m as PingMessage) : null;
  } catch {
    return null;
  }
}
