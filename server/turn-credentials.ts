// TURN REST credentials (coturn use-auth-secret): username "<expiry>:<user>", password HMAC-SHA1 over it.
import { createHmac } from 'node:crypto';
import type { IceServer } from '../signaling/protocol';
import type { Config } from './config';

export function mintTurnCredential(secret: string, user: string, ttlSeconds: number, nowMs = Date.now()) {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${user}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry };
}

/** The ICE server list one participant gets in its join reply. */
export function iceServersFor(ice: Config['ice'], user: string): IceServer[] {
  const servers: IceServer[] = [];
  if (ice.stunUrls.length) servers.push({ urls: ice.stunUrls });
  if (ice.turnUrls.length && ice.turnSecret) {
    const { username, credential } = mintTurnCredential(ice.turnSecret, user, ice.ttlSeconds);
    servers.push({ urls: ice.turnUrls, username, credential });
  }
  return servers;
}
