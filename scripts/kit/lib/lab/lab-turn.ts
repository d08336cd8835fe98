// coturn on the lab's server host, from the hardened production config (turn/coturn-production.conf)
// changed only where the lab needs it: its address, a secret, no TLS (no certificate for a lab
// address; TURN over TCP stays), logs and pid file in the lab's directory, and the lab's internet
// range allowed explicitly (the deny list rightly refuses 198.18.0.0/15, the benchmark range the
// lab borrows). Everything else, the deny list and quotas included, runs as in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './netns';

export const TURN_PORT = 3478;
export const PRODUCTION_CONFIG = join(process.cwd(), 'turn', 'coturn-production.conf');

/** Lines of the production config the lab drops: TLS needs a certificate for a name the lab lacks. */
const DROPPED = /^(tls-listening-port|cert|pkey|cipher-list|no-tlsv1|no-tlsv1_1|log-file)\b/;

export interface LabTurnConfig {
  ip: string;
  secret: string;
  dir: string;
  /** The lab's internet, relayed to: "first-last" as coturn writes ranges. */
  allowedPeers: string;
}

/** The production config text adapted for the lab (pure). Throws if a placeholder is left. */
export function adaptProductionConfig(production: string, c: LabTurnConfig): string {
  const lines = production
    .split('\n')
    .filter((line) => !DROPPED.test(line.trim()))
    .map((line) =>
      line
        .replace(/<private-or-public-ip-of-this-host>|<same-ip>/g, c.ip)
        .replace('<long-random-secret, same as the app\'s TURN_SECRET>', c.secret)
        .replace('<turn.example.org>', 'lab.invalid'),
    );
  const text = [
    ...lines,
    '# --- Lab only -------------------------------------------------------------------------------',
    'no-tls',
    'no-dtls',
    `allowed-peer-ip=${c.allowedPeers}`,
    `log-file=${join(c.dir, 'turn.log')}`,
    `pidfile=${join(c.dir, 'turnserver.pid')}`,
    '',
  ].join('\n');
  const left = /<[^>]+>/.exec(text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n'));
  if (left) throw new Error(`lab TURN config: placeholder ${left[0]} not replaced`);
  return text;
}

export interface LabTurn {
  stop(): Promise<void>;
}

/** Starts coturn inside `ns` and waits until it listens (TCP and UDP) on ip:3478. */
export async function startLabTurn(ns: string, c: LabTurnConfig): Promise<LabTurn> {
  const confPath = join(c.dir, 'turnserver.conf');
  writeFileSync(confPath, adaptProductionConfig(readFileSync(PRODUCTION_CONFIG, 'utf8'), c), { mode: 0o600 });
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, 'turnserver', '-c', confPath], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    for (let i = 0; i < 20 && !exited; i++) await sleep(100);
    if (!exited) child.kill('SIGKILL');
  };
  for (let i = 0; i < 50 && !exited; i++) {
    const sockets = await run(['ip', 'netns', 'exec', ns, 'ss', '-Hlnut', 'sport', '=', `:${TURN_PORT}`]).catch(() => '');
    if (/^tcp/m.test(sockets) && /^udp/m.test(sockets)) return { stop };
    await sleep(100);
  }
  await stop();
  let log = '';
  try {
    log = readFileSync(join(c.dir, 'turn.log'), 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    // no log written
  }
  throw new Error(`lab: coturn did not start listening on ${c.ip}:${TURN_PORT}\n${log}`);
}
