// HTTPS for a class on the LAN: phones and other computers get camera access only on a secure
// origin, and a LAN address is not one over plain http. Either the operator's own certificate
// (TLS_CERT, TLS_KEY), or one this server makes with Debian's openssl: a local CA, generated once
// and kept (install ca.pem on the class's devices to avoid the warning), and a certificate for the
// public host signed by it, remade when the host changes. Keys are written with mode 600.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_TLS_DIR = join(homedir(), '.local', 'state', 'mesh-vs-sfu', 'tls');

export interface TlsMaterial {
  cert: string;
  key: string;
  /** The generated CA's certificate file (to install on devices), or null for an operator's own certificate. */
  caPath: string | null;
}

/** The subjectAltName for a host: IP or DNS entry, plus loopback so the machine itself can connect. */
export function subjectAltName(host: string): string {
  const own = isIP(host) ? `IP:${host}` : `DNS:${host}`;
  return [own, 'IP:127.0.0.1', 'DNS:localhost'].filter((v, i, all) => all.indexOf(v) === i).join(',');
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`TLS: openssl ${args[0]} failed: ${(e.stderr?.toString() || e.message).trim()}`);
  }
}

/** The operator's certificate, or the generated CA and a certificate for `host` in `dir`. */
export function ensureTls(o: { host: string; dir: string; cert?: string; key?: string }): TlsMaterial {
  if (o.cert || o.key) {
    if (!o.cert || !o.key) throw new Error('TLS: set both TLS_CERT and TLS_KEY, or neither (a certificate is then generated)');
    return { cert: readFileSync(o.cert, 'utf8'), key: readFileSync(o.key, 'utf8'), caPath: null };
  }
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(o.host)) throw new Error(`TLS: "${o.host}" is not a host name or IP address`);
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const ca = join(o.dir, 'ca.pem');
  const caKey = join(o.dir, 'ca-key.pem');
  if (!existsSync(ca) || !existsSync(caKey)) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '825', '-subj', '/CN=mesh-vs-sfu local CA', '-keyout', caKey, '-out', ca], o.dir);
    chmodSync(caKey, 0o600);
  }
  const name = o.host.replace(/[^A-Za-z0-9.-]/g, '_');
  const cert = join(o.dir, `server-${name}.pem`);
  const key = join(o.dir, `server-${name}-key.pem`);
  if (!existsSync(cert) || !existsSync(key)) {
    const csr = join(o.dir, `server-${name}.csr`);
    const ext = join(o.dir, `server-${name}.ext`);
    writeFileSync(ext, `subjectAltName=${subjectAltName(o.host)}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-subj', `/CN=${o.host}`, '-keyout', key, '-out', csr], o.dir);
    // 397 days: browsers refuse longer-lived server certificates.
    openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-days', '397', '-sha256', '-extfile', ext, '-out', cert], o.dir);
    chmodSync(key, 0o600);
  }
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8'), caPath: ca };
}
