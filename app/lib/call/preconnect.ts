// An autojoining room page opens its signaling socket while React hydrates and the camera starts,
// and the call engine takes that socket when it joins instead of connecting only then.
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { CallSocket } from './base-call';
import { pageNow } from './join-marks';

/** Retries are the engine's own (reconnect.ts), so Socket.IO's are off; WebSocket only, no polling round trips. */
export function socketOptions(): Partial<ManagerOptions & SocketOptions> {
  return { transports: ['websocket'], reconnection: false };
}

/** A socket nobody took by then (the page never joined) is closed. */
const UNCLAIMED_MS = 15_000;

interface Early {
  url: string;
  socket: CallSocket;
  /** When it connected (the page's clock), null while connecting. */
  connectedAt: number | null;
  /** It failed or closed before anyone took it: a join must start afresh (and report its own error). */
  dead: boolean;
  timer: ReturnType<typeof setTimeout>;
}

let early: Early | null = null;

/** Starts connecting to the signaling server at `url` ('' = this page's origin), once. */
export function preconnectSignaling(url = ''): void {
  if (early) return;
  const socket: CallSocket = io(url, socketOptions());
  const entry: Early = { url, socket, connectedAt: null, dead: false, timer: setTimeout(dropPreconnected, UNCLAIMED_MS) };
  socket.once('connect', () => (entry.connectedAt = pageNow()));
  socket.once('connect_error', () => (entry.dead = true));
  socket.once('disconnect', () => (entry.dead = true));
  early = entry;
}

/** The early socket for `url`, connected or still connecting, once; null when there is none that works. */
export function takePreconnected(url = ''): { socket: CallSocket; connectedAt: number | null } | null {
  const entry = early;
  if (!entry) return null;
  early = null;
  clearTimeout(entry.timer);
  if (entry.dead || entry.url !== url) {
    entry.socket.disconnect();
    return null;
  }
  return { socket: entry.socket, connectedAt: entry.connectedAt };
}

/** The page will not join with it (a bad link, or nobody took it in time): close it. */
export function dropPreconnected(): void {
  const entry = early;
  early = null;
  if (!entry) return;
  clearTimeout(entry.timer);
  entry.socket.disconnect();
}
