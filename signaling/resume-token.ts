// Resume tokens: what lets a participant whose socket dropped take its seat back (same peer id).
// HMAC-signed by the server, bound to one room and one peer, expiring; unguessable without the
// server's secret, so a client can never claim someone else's identity. A token also names the
// server process that signed it (its boot id) and the seat's mode and name, so that a restarted
// server sharing the secret can tell "I restarted" from "your seat was released" and rebuild a
// mesh seat from the token alone (locked, when the room was guarded by a passcode or a lock).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServerError } from './errors';
import type { RoomMode } from './protocol';

export interface SeatClaims {
  roomId: string;
  peerId: string;
  mode: RoomMode;
  name: string;
  /** The signing server process's boot id. */
  bootId: string;
  /** The room had a passcode or was locked when this was signed (a restarted server then rebuilds it locked). */
  guarded?: boolean;
}

interface WireClaims {
  r: string;
  p: string;
  m: RoomMode;
  n: string;
  b: string;
  /** guarded (absent = no) */
  g?: 1;
  /** expiry, ms since the epoch */
  e: number;
}

const encode = (text: string) => Buffer.from(text).toString('base64url');

function signature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signResumeToken(secret: string, seat: SeatClaims, ttlMs: number, now = Date.now()): string {
  const claims: WireClaims = { r: seat.roomId, p: seat.peerId, m: seat.mode, n: seat.name, b: seat.bootId, ...(seat.guarded ? { g: 1 } : {}), e: now + ttlMs };
  const body = encode(JSON.stringify(claims));
  return `${body}.${signature(secret, body)}`;
}

/** The seat the token holds in this room; throws RESUME_REFUSED saying why otherwise. */
export function verifyResumeToken(secret: string, token: string, roomId: string, now = Date.now()): SeatClaims {
  const [body, sig, extra] = token.split('.');
  const expected = body ? Buffer.from(signature(secret, body)) : Buffer.alloc(0);
  const given = Buffer.from(sig ?? '');
  if (!body || extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ServerError('RESUME_REFUSED', 'the resume token is not one this server signed; join again');
  }
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as WireClaims;
  if (claims.r !== roomId) throw new ServerError('RESUME_REFUSED', `the resume token is for another room, not ${roomId}`);
  if (claims.e <= now) throw new ServerError('RESUME_REFUSED', 'the resume token expired; join again');
  return { roomId: claims.r, peerId: claims.p, mode: claims.m, name: claims.n, bootId: claims.b, ...(claims.g === 1 ? { guarded: true } : {}) };
}
