// Debian's redis-server as a child process for a cluster run: loopback only, its own temporary data
// folder, nothing saved to disk; started, PINGed until it answers, stopped with its folder removed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePortRun, parentDeathPrefix, sweepDeadProcessDirs, watchChild } from '../server-process';

export interface RedisHandle {
  /** redis://127.0.0.1:PORT, what the nodes get as REDIS_URL. */
  url: string;
  port: number;
  pid: number;
  /** Its data folder (removed by stop). */
  dir: string;
  /** Resolves once redis-server has exited (stopped, or died). */
  exited: Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), then the folder is removed; safe to call twice. */
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** A free port when unset. */
  port?: number;
  /** How long to wait for the first PONG (default 10 s). */
  timeoutMs?: number;
  /** The binary (default redis-server on PATH, /usr/bin/redis-server from Debian's package). */
  binary?: string;
}

const DIR_PREFIX = 'mesh-vs-sfu-redis-';
const PID_FILE = 'redis.pid';

/** Starts redis-server on 127.0.0.1 and resolves once it answers (INFO naming its own pid, so not another Redis on that port). */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisHandle> {
  const binary = opts.binary ?? 'redis-server';
  if (spawnSync(binary, ['--version'], { stdio: 'ignore' }).error) {
    throw new Error(`${binary} is not installed: run scripts/setup.sh (it installs Debian's redis-server)`);
  }
  // A run killed without cleanup (SIGKILL, a crash) left its folder; its Redis died with it.
  sweepDeadProcessDirs(DIR_PREFIX, PID_FILE);
  // Redis cannot pick a port itself (--port 0 means "no TCP"), so a free one is chosen here; the
  // gap before redis binds it is short, and a lost race is retried with another port.
  const attempts = opts.port === undefined ? 3 : 1;
  let lastError: Error | null = null;
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await freePortRun(1));
    try {
      return await launch(binary, port, opts.timeoutMs ?? 10_000);
    } catch (err) {
      lastError = err as Error;
      if (!/address already in use/i.test(lastError.message)) break;
    }
  }
  throw lastError!;
}

async function launch(binary: string, port: number, timeoutMs: number): Promise<RedisHandle> {
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  // --save '' and --appendonly no: the cluster's state is short-lived by design (keys expire), and a
  // run must not leave data behind. The pid file lets a later run sweep the folder of a killed one.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no', '--pidfile', join(dir, PID_FILE), '--daemonize', 'no'];
  const command = [...parentDeathPrefix(), binary, ...args];
  // Its own process group: a terminal's Ctrl-C reaches the CLI only, which stops Redis after the
  // nodes (they would otherwise log lost connections while shutting down).
  const child = spawn(command[0], command.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const watched = watchChild(child, { keepLines: 10, stopGraceMs: 5_000 });
  const { lines: said, exited } = watched;
  const gone = () => watched.gone();
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await watched.stop();
      rmSync(dir, { recursive: true, force: true });
    })());

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone()) {
    // Ours, not another Redis already on that port answering while ours fails to bind it.
    if ((await serverPid(port)) === child.pid) return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, dir, exited, stop };
    await sleep(100);
  }
  const why = gone() ? `it exited (code ${child.exitCode ?? '—'}, signal ${child.signalCode ?? '—'})` : `no PONG within ${Math.round(timeoutMs / 1000)} s`;
  await stop();
  throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${why}. Its last lines:\n${said.slice(-5).join('\n') || '(nothing)'}`);
}

/** One PING over the wire protocol's inline form; true on +PONG (false on refusal or 1 s silence). */
export async function ping(port: number): Promise<boolean> {
  return (await ask(port, 'PING', (reply) => (reply.includes('\r\n') ? reply : null)))?.startsWith('+PONG') ?? false;
}

/** The pid of the Redis answering on the port (INFO server's process_id), or null. */
async function serverPid(port: number): Promise<number | null> {
  const line = await ask(port, 'INFO server', (reply) => /process_id:(\d+)\r\n/.exec(reply)?.[1] ?? (reply.startsWith('-') ? '' : null));
  return line ? Number(line) : null;
}

/** Sends one inline command to 127.0.0.1:port; `parse` returns non-null once the reply is complete. */
function ask(port: number, command: string, parse: (reply: string) => string | null): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(1_000, () => done(null));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (d) => {
      reply += d.toString();
      const value = parse(reply);
      if (value !== null) done(value);
    });
    socket.once('error', () => done(null));
    socket.once('end', () => done(null));
  });
}
