import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adaptProductionConfig, PRODUCTION_CONFIG } from '../../../../../scripts/kit/lib/lab/lab-turn';

const production = readFileSync(PRODUCTION_CONFIG, 'utf8');
const config = { ip: '198.18.0.1', secret: 's3cret-s3cret', dir: '/tmp/lab', allowedPeers: '198.18.0.0-198.18.255.255' };
const settings = (text: string) => text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

describe('the lab’s coturn config', () => {
  const lab = adaptProductionConfig(production, config);

  it('keeps every production setting except TLS, and logs into the lab’s directory', () => {
    const dropped = settings(production).filter((l) => !settings(lab).some((m) => m === l || m.startsWith(l.split('=')[0])));
    expect(dropped.map((l) => l.split('=')[0])).toEqual(['tls-listening-port', 'cert', 'pkey', 'no-tlsv1', 'no-tlsv1_1', 'cipher-list']);
    expect(settings(lab)).toContain('log-file=/tmp/lab/turn.log');
    expect(settings(lab)).not.toContain('log-file=/var/log/turnserver/turn.log');
    for (const line of ['use-auth-secret', 'no-loopback-peers', 'denied-peer-ip=198.18.0.0-198.19.255.255', 'user-quota=12', 'no-multicast-peers']) expect(settings(lab)).toContain(line);
  });

  it('fills in the lab’s address and secret, allows the lab’s range and leaves no placeholder', () => {
    expect(settings(lab)).toEqual(expect.arrayContaining(['listening-ip=198.18.0.1', 'relay-ip=198.18.0.1', 'static-auth-secret=s3cret-s3cret', 'allowed-peer-ip=198.18.0.0-198.18.255.255', 'no-tls', 'no-dtls']));
    expect(settings(lab).join('\n')).not.toMatch(/<[^>]+>/);
  });

  it('refuses a config whose placeholders it does not know', () => {
    expect(() => adaptProductionConfig(`${production}\nexternal-ip=<public-ip>\n`, config)).toThrow(/placeholder <public-ip> not replaced/);
  });
});
