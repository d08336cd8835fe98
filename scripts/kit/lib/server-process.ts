// Starting and stopping the real server for benchmarks, smoke tests and cluster nodes (free ports,
// production mode, own Next build dir, one spawn-and-wait for all), and reading its /metrics.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether `port` can be bound on 127.0.0.1 right now (TCP). */
export function portFree(port: number): Promise<boolean> {
  return listenOnce(port).then((p) => p !== null);
}

/** Binds `port` (0: any) on 127.0.0.1 and releases it; the bound port, or null when taken. */
function listenOnce(port: number): Promise<number | null> {
  return new Promise<number | null>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(null));
    s.listen(port, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** The first of `length` consecutive free TCP ports on 127.0.0.1 (the OS picks the first). */
export async function freePortRun(length: number, attempts = 20): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const port = await listenOnce(0);
    if (port === null || port + length - 1 > 65535) continue;
    let free = true;
    for (let next = port + 1; free && next < port + length; next++) free = (await listenOnce(next)) !== null;
    if (free) return port;
  }
  throw new Error(`no ${length} consecutive free ports on 127.0.0.1`);
}

/** A free TCP port on 127.0.0.1 whose next port is also free (the server puts TURN on port + 1). */
export function freePortPair(attempts = 20): Promise<number> {
  return freePortRun(2, attempts);
}

/**
 * The command prefix that makes the kernel kill a child when this process dies, even by SIGKILL
 * (util-linux's setpriv, which execs in place so the pid stays the child's): a crashed CLI or test
 * must not leave servers or Redis holding their ports. Empty where setpriv is missing.
 */
export function parentDeathPrefix(): string[] {
  const ok = process.platform === 'linux' && !spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).error;
  return ok ? ['setpriv', '--pdeathsig', 'KILL'] : [];
}

// Kept in the server (its managed coturn sweeps the same way); the kit's cluster uses it too.
export { sweepDeadProcessDirs } from '../../../server/stale-dirs';

export interface ServerHandle {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The last lines the server printed (for error messages). */
  output(): string;
  /** Resolves once the process has exited (whatever ended it). */
  exited: Promise<void>;
  /** Sends a signal (SIGKILL: a crash) and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM (the server's graceful exit), SIGKILL after 8 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  /** Next build directory; defaults to NEXT_DIST_DIR from the environment, else .next. */
  distDir?: string;
  timeoutMs?: number;
  /** The port (TURN takes the next one); a free pair when unset. A restart passes the old one. */
  port?: number;
  /** Extra environment (e.g. SFU_RTC_MIN_PORT) for the server. */
  env?: Record<string, string>;
  /**
   * A command the server runs under, e.g. `ip netns exec <ns>` (the network lab, lib/lab/). It must
   * exec the server in place, so the child's pid stays the server's for kill and stop.
   */
  prefix?: readonly string[];
  /**
   * The server speaks HTTPS (PUBLIC_HOST): readiness is checked over TLS against the CA in this
   * file, which the server itself may create at startup (read on every try).
   */
  tlsCaFile?: string;
}

export interface LaunchOptions extends Omit<StartOptions, 'port'> {
  port: number;
  /** Each line the server prints, as it comes (a CLI forwarding it); the last 40 are kept anyway. */
  onLine?: (line: string) => void;
  /**
   * Its own process group: a terminal's Ctrl-C then reaches only the caller, which stops its
   * servers in its own order (a cluster stops the nodes before their Redis).
   */
  ownProcessGroup?: boolean;
}

/** Status of GET url: plain fetch, or over TLS trusting only the CA in `caFile`. */
function probeStatus(url: string, caFile?: string): Promise<number> {
  if (!caFile) return fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status);
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { ca: readFileSync(caFile), timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Spawns `node --import tsx server/main.ts` on a free port and waits for /readyz. */
export async function startServer(opts: StartOptions = {}): Promise<ServerHandle> {
  const port = opts.port ?? (await freePortPair());
  // A separate RTC port window per server, so concurrent servers on this machine do not collide.
  const rtcMin = 42000 + (port % 40) * 500;
  const env = { TURN_PORT: String(port + 1), SFU_RTC_MIN_PORT: String(rtcMin), SFU_RTC_MAX_PORT: String(rtcMin + 499), ...opts.env };
  return launchServer({ ...opts, port, env });
}

/**
 * Spawns the server on `port` in production mode on loopback (quiet logs, the Next build in
 * distDir), `env` last so it may override any of that, and waits for /readyz: 200 once the pages
 * are served too, where /healthz only says the port is open.
 */
export async function launchServer(opts: LaunchOptions): Promise<ServerHandle> {
  const { port } = opts;
  const url = `${opts.tlsCaFile ? 'https' : 'http'}://127.0.0.1:${port}`;
  const command = [...(opts.prefix ?? []), process.execPath, '--import', 'tsx', 'server/main.ts'];
  const child = spawn(command[0], command.slice(1), {
    cwd: opts.cwd ?? process.cwd(),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: opts.distDir ?? process.env.NEXT_DIST_DIR ?? '.next',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
  });
  const watched = watchChild(child, { keepLines: 40, onLine: opts.onLine, stopGraceMs: 8_000 });
  const { lines, exited, kill, stop } = watched;
  const handle: ServerHandle = { url, pid: child.pid ?? -1, child, output: () => lines.join('\n'), exited, kill, stop };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline && !watched.gone()) {
    try {
      if ((await probeStatus(`${url}/readyz`, opts.tlsCaFile)) === 200) return handle;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  const why = watched.gone() ? `it exited (code ${child.exitCode ?? '—'}, signal ${child.signalCode ?? '—'})` : `not ready within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s`;
  await stop();
  throw new Error(`server did not become ready at ${url}: ${why}:\n${lines.join('\n')}`);
}

/** A child process as the kit holds it: its last output lines, its exit, a kill and a graceful stop. */
export interface WatchedChild {
  /** The last `keepLines` lines it printed (stdout and stderr), oldest first. */
  lines: string[];
  /** Resolves once it has exited, or failed to start. */
  exited: Promise<void>;
  gone(): boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, SIGKILL after the grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

export function watchChild(child: ChildProcess, opts: { keepLines: number; stopGraceMs: number; onLine?: (line: string) => void }): WatchedChild {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    const fresh = chunk.toString().split('\n').filter(Boolean);
    if (opts.onLine) fresh.forEach((line) => opts.onLine!(line));
    lines.push(...fresh);
    lines.splice(0, Math.max(0, lines.length - opts.keepLines));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let gone = false;
  // 'error' too: a prefix command that is missing (ENOENT) never emits 'exit'.
  const exited = new Promise<void>((resolve) => {
    const done = () => ((gone = true), resolve());
    child.once('exit', done);
    child.once('error', done);
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (!gone) child.kill(signal);
    await exited;
  };
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    // Unref'd: the child's own handle keeps this process alive until it exits, and a CLI must not
    // linger for the whole grace period after it did.
    const ended = await Promise.race([exited.then(() => true), sleep(opts.stopGraceMs, undefined, { ref: false }).then(() => false)]);
    if (!ended) child.kill('SIGKILL');
    await exited;
  };
  return { lines, exited, gone: () => gone, kill, stop };
}

/** Prometheus text → the value of the first sample of `name` whose labels include every given pair. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      const v = Number(m[4]);
      return Number.isFinite(v) ? v : null;
    }
  }
  return null;
}

/** SFU egress bytes (server → browsers) from GET /metrics, or null when unavailable. */
export async function sfuEgressBytes(url: string): Promise<number | null> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3_000) });
    if (!res.ok) return null;
    return metricValue(await res.text(), 'sfu_transport_bytes', { direction: 'out' });
  } catch {
    return null;
  }
}

/** GET /readyz → whether SFU mode is available (and why not). */
export async function readiness(url: string): Promise<{ sfu: boolean; reason: string | null }> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { modes?: { sfu?: { available?: boolean; reason?: string | null } } };
  return { sfu: body.modes?.sfu?.available === true, reason: body.modes?.sfu?.reason ?? null };
}
