// TURN REST credentials: coturn's format, the expiry, and what reaches the browser.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/config';
import { iceServersFor, mintTurnCredential } from '../../../server/turn-credentials';

describe('mintTurnCredential', () => {
  it('is "<expiry>:<user>" with base64 HMAC-SHA1 of it as password', () => {
    const now = Date.UTC(2026, 0, 1);
    const { username, credential, expiresAt } = mintTurnCredential('s3cret', 'peer1', 600, now);
    expect(expiresAt).toBe(now / 1000 + 600);
    expect(username).toBe(`${expiresAt}:peer1`);
    expect(credential).toBe(createHmac('sha1', 's3cret').update(username).digest('base64'));
    expect(mintTurnCredential('other', 'peer1', 600, now).credential).not.toBe(credential);
  });
});

describe('iceServersFor', () => {
  it('hands out no TURN entry without a secret, and never the secret itself', () => {
    const noSecret = parseConfig({ TURN_URLS: 'turn:127.0.0.1:3478' });
    expect(iceServersFor(noSecret.ice, 'p')).toEqual([]);
    const withSecret = parseConfig({ TURN_URLS: 'turn:127.0.0.1:3478', STUN_URLS: 'stun:127.0.0.1:3478', TURN_SECRET: 'topsecret' });
    const servers = iceServersFor(withSecret.ice, 'p');
    expect(servers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    expect(servers[1]).toMatchObject({ urls: ['turn:127.0.0.1:3478'], username: expect.stringMatching(/^\d+:p$/) });
    expect(JSON.stringify(servers)).not.toContain('topsecret');
  });
});
