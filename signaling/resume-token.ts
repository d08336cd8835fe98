// Resume tokens: what lets a participant whose socket dropped take its seat back (same peer id).
// HMAC-signed by the server, bound to one room and one peer, expiring; unguessable without the
// server's secret, so a client can never claim someone else's identity.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServerError } from './errors';

interface Claims {
  /** room */
  r: string;
  /** peer id */
  p: string;
  /** expiry, ms since the epoch */
  e: number;
}

const encode = (text: string) => Buffer.from(text).toString('base64url');

function signature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signResumeToken(secret: string, roomId: string, peerId: string, ttlMs: number, now = Date.now()): string {
  const body = encode(JSON.stringify({ r: roomId, p: peerId, e: now + ttlMs } satisfies Claims));
  return `${body}.${signature(secret, body)}`;
}

/** The peer id the token holds for this room; throws RESUME_REFUSED saying why otherwise. */
export function verifyResumeToken(secret: string, token: string, roomId: string, now = Date.now()): string {
  const [body, sig, extra] = token.split('.');
  const expected = body ? Buffer.from(signature(secret, body)) : Buffer.alloc(0);
  const given = Buffer.from(sig ?? '');
  if (!body || extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ServerError('RESUME_REFUSED', 'the resume token is not one this server signed; join again');
  }
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
  if (claims.r !== roomId) throw new ServerError('RESUME_REFUSED', `the resume token is for another room, not ${roomId}`);
  if (claims.e <= now) throw new ServerError('RESUME_REFUSED', 'the resume token expired; join again');
  return claims.p;
}
