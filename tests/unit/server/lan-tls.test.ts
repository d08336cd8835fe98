// A class on the LAN: one setting (PUBLIC_HOST) derives everything that must agree, and the
// certificate is made with the real openssl, signed by a kept local CA, for exactly that host.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, withLanAddress } from '../../../server/config';
import { ensureTls, subjectAltName } from '../../../server/tls';

describe('PUBLIC_HOST', () => {
  it('derives the listen address, SFU addresses and the allowed origin from one setting', () => {
    const c = withLanAddress(parseConfig({ PUBLIC_HOST: 'class.local', PORT: '3000' }), '192.168.1.20');
    expect(c.host).toBe('0.0.0.0');
    expect(c.sfu).toMatchObject({ listenIp: '0.0.0.0', announcedAddress: '192.168.1.20' });
    expect(c.lan?.ip).toBe('192.168.1.20');
    expect(c.publicOrigins).toEqual(['https://class.local:3000']);
    expect(c.lan).toMatchObject({ publicHost: 'class.local', publicOrigin: 'https://class.local:3000' });
  });

  it('leaves one machine on loopback and plain http, and explicit settings win', () => {
    const plain = parseConfig({});
    expect([plain.host, plain.sfu.listenIp, plain.sfu.announcedAddress, plain.lan]).toEqual(['127.0.0.1', '127.0.0.1', undefined, null]);
    const c = withLanAddress(parseConfig({ PUBLIC_HOST: 'class.local', HOST: '192.168.1.20', SFU_ANNOUNCED_ADDRESS: '203.0.113.5', PUBLIC_ORIGINS: 'https://x.example' }), '192.168.1.20');
    expect([c.host, c.sfu.announcedAddress]).toEqual(['192.168.1.20', '203.0.113.5']);
    expect(c.publicOrigins).toEqual(['https://x.example', 'https://class.local:3000']);
  });

  it('refuses a bad host and a certificate without a host', () => {
    expect(() => parseConfig({ PUBLIC_HOST: 'a b' })).toThrow(/PUBLIC_HOST: an IP address or a host name/);
    expect(() => parseConfig({ TLS_CERT: '/x.pem', TLS_KEY: '/x-key.pem' })).toThrow(/TLS_CERT\/TLS_KEY need PUBLIC_HOST/);
  });
});

describe('generated certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the host and loopback', () => {
    expect(subjectAltName('192.168.1.20')).toBe('IP:192.168.1.20,IP:127.0.0.1,DNS:localhost');
    expect(subjectAltName('class.local')).toBe('DNS:class.local,IP:127.0.0.1,DNS:localhost');
  });

  it('is signed by a kept CA, for the host, with private keys only the owner reads', { timeout: 30_000 }, () => {
    const first = ensureTls({ host: '192.168.1.20', dir });
    expect(first.caPath).toBe(join(dir, 'ca.pem'));
    writeFileSync(join(dir, 'check.pem'), first.cert);
    expect(execFileSync('openssl', ['verify', '-CAfile', first.caPath!, join(dir, 'check.pem')], { encoding: 'utf8' })).toMatch(/OK/);
    const text = execFileSync('openssl', ['x509', '-in', join(dir, 'check.pem'), '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/IP Address:192\.168\.1\.20/);
    expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'server-192.168.1.20-key.pem')).mode & 0o777).toBe(0o600);
    // Kept: the same CA and certificate next time; another host gets its own, from the same CA.
    expect(ensureTls({ host: '192.168.1.20', dir }).cert).toBe(first.cert);
    const other = ensureTls({ host: 'class.local', dir });
    expect(other.cert).not.toBe(first.cert);
    writeFileSync(join(dir, 'other.pem'), other.cert);
    expect(execFileSync('openssl', ['verify', '-CAfile', first.caPath!, join(dir, 'other.pem')], { encoding: 'utf8' })).toMatch(/OK/);
  });

  it('uses the operator’s own certificate when given, both files or neither', () => {
    writeFileSync(join(dir, 'own.pem'), 'CERT');
    writeFileSync(join(dir, 'own-key.pem'), 'KEY');
    expect(ensureTls({ host: 'x', dir, cert: join(dir, 'own.pem'), key: join(dir, 'own-key.pem') })).toEqual({ cert: 'CERT', key: 'KEY', caPath: null });
    expect(() => ensureTls({ host: 'x', dir, cert: join(dir, 'own.pem') })).toThrow(/both TLS_CERT and TLS_KEY/);
  });
});
