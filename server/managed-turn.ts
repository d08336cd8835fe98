// Runs coturn as a child process on loopback with the development config (TURN_MODE=managed),
// with a random secret per run, and stops it with the server. Absent coturn only disables TURN.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from './config';
import type { Logger } from './logger';
import { sweepDeadProcessDirs } from './stale-dirs';

export interface TurnRuntime {
  ice: Config['ice'];
  /** Null when TURN is available; otherwise why not. */
  problem: string | null;
  stop(): Promise<void>;
}

const DEV_CONFIG = join(process.cwd(), 'turn', 'coturn-dev.conf');
const DIR_PREFIX = 'mesh-vs-sfu-turn-';

export async function startTurn(config: Config, logger: Logger): Promise<TurnRuntime> {
  const ice = config.ice;
  if (ice.turnMode === 'off') return { ice, problem: 'TURN is off (TURN_MODE=off)', stop: async () => {} };
  if (ice.turnMode === 'external') {
    const problem = ice.turnUrls.length && ice.turnSecret ? null : 'TURN_MODE=external needs TURN_URLS and TURN_SECRET';
    return { ice, problem, stop: async () => {} };
  }
  if (spawnSync('turnserver', ['--version'], { stdio: 'ignore' }).error) {
    const problem = 'coturn (turnserver) is not installed; run scripts/setup.sh or set TURN_MODE=external';
    logger.warn({ problem }, 'TURN unavailable');
    return { ice, problem, stop: async () => {} };
  }
  sweepDeadProcessDirs(DIR_PREFIX, 'turnserver.pid');
  const secret = ice.turnSecret ?? randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  const confPath = join(dir, 'turnserver.conf');
  // On the LAN (PUBLIC_HOST), coturn also listens on the LAN address and relays from it, so other
  // machines' browsers can use it; on one machine, loopback only.
  const lanIp = config.lan?.ip ?? null;
  const base = readFileSync(DEV_CONFIG, 'utf8');
  const conf = lanIp ? `${base.replace(/^relay-ip=.*$/m, `relay-ip=${lanIp}`)}\nlistening-ip=${lanIp}\n` : base;
  // A private copy (mode 600) so the secret never shows up in `ps`.
  writeFileSync(confPath, `${conf}\nlistening-port=${ice.turnPort}\nstatic-auth-secret=${secret}\npidfile=${join(dir, 'turnserver.pid')}\n`, { mode: 0o600 });
  const child = spawn(...withParentDeathSignal(['turnserver', '-c', confPath]), { stdio: ['ignore', 'pipe', 'pipe'] });
  // The last lines coturn printed, to say why it did not start (a port in use, a bad address).
  const said: string[] = [];
  const keep = (d: Buffer) => {
    const text = d.toString().trim();
    logger.debug({ coturn: text }, 'coturn');
    said.push(...text.split('\n'));
    said.splice(0, Math.max(0, said.length - 5));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', (code, signal) => {
    exited = true;
    logger.info({ code, signal }, 'coturn exited');
  });

  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  // Generous: a loaded machine may take seconds to start it; a coturn that exited is not waited for.
  const ready = await waitForPort(ice.turnPort, 15_000, () => exited);
  if (!ready) {
    await stop();
    const why = said.filter((l) => /error|cannot|fail/i.test(l)).at(-1) ?? said.at(-1) ?? 'no output';
    const problem = `coturn did not start listening on 127.0.0.1:${ice.turnPort} (${exited ? 'it exited' : 'timed out'}; port in use?): ${why}`;
    logger.warn({ problem }, 'TURN unavailable');
    return { ice, problem, stop: async () => {} };
  }
  const host = `${config.lan?.publicHost ?? '127.0.0.1'}:${ice.turnPort}`;
  logger.info({ host }, 'managed coturn running');
  return {
    ice: {
      ...ice,
      turnSecret: secret,
      stunUrls: ice.stunUrls.length ? ice.stunUrls : [`stun:${host}`],
      turnUrls: ice.turnUrls.length ? ice.turnUrls : [`turn:${host}?transport=udp`, `turn:${host}?transport=tcp`],
    },
    problem: null,
    stop,
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** coturn listens on TCP and UDP at once, so a TCP connect tells when it is up. */
async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Run under util-linux's setpriv so the kernel kills coturn when this server dies, even by SIGKILL
 * (the failure drill, a crash): an orphaned coturn would keep the TURN port and make the next
 * start's TURN fail. Without setpriv (not Linux) coturn is only stopped on a graceful exit.
 */
function withParentDeathSignal(command: string[]): [string, string[]] {
  const setpriv = process.platform === 'linux' && !spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).error;
  return setpriv ? ['setpriv', ['--pdeathsig', 'KILL', ...command]] : [command[0], command.slice(1)];
}
