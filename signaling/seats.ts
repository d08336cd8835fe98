// Which socket holds each peer's seat now, and the seats of disconnected peers kept for a grace
// period so that a reconnect within it resumes the same peer id (the roster shows them as
// reconnecting meanwhile). Peer ids outlive sockets: a socket joins a Socket.IO room named after
// its peer id, so messages addressed to the peer reach whichever socket holds the seat.
import type { SignalingSocket } from './context';

export class Seats {
  private socketOfPeer = new Map<string, string>();
  private graceTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(readonly graceMs: number) {}

  /** The peer id this socket speaks for: its own id until it resumed another seat. */
  static peerOf(socket: SignalingSocket): string {
    return (socket.data as { peerId?: string }).peerId ?? socket.id;
  }

  /** This socket now holds the peer's seat (a fresh join, or a resume). */
  async bind(socket: SignalingSocket, peerId: string): Promise<void> {
    (socket.data as { peerId?: string }).peerId = peerId;
    this.socketOfPeer.set(peerId, socket.id);
    this.cancelGrace(peerId);
    await socket.join(peerId);
  }

  /** True when this socket (not a newer one) holds the peer's seat. */
  holds(socket: SignalingSocket): boolean {
    return this.socketOfPeer.get(Seats.peerOf(socket)) === socket.id;
  }

  /** Keeps the seat for the grace period, then calls expire unless the peer came back. */
  hold(peerId: string, expire: () => void): void {
    this.cancelGrace(peerId);
    this.socketOfPeer.delete(peerId);
    this.graceTimers.set(
      peerId,
      setTimeout(() => {
        this.graceTimers.delete(peerId);
        expire();
      }, this.graceMs),
    );
  }

  isHeld(peerId: string): boolean {
    return this.graceTimers.has(peerId);
  }

  /** The peer left for good: forget its seat. */
  release(peerId: string): void {
    this.cancelGrace(peerId);
    this.socketOfPeer.delete(peerId);
  }

  close(): void {
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
  }

  private cancelGrace(peerId: string): void {
    clearTimeout(this.graceTimers.get(peerId));
    this.graceTimers.delete(peerId);
  }
}
