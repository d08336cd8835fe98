// Starting and stopping the real server for benchmarks and smoke tests (free port, production
// mode, own Next build dir), and reading its /metrics (SFU egress bytes).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 whose next port is also free (the server puts TURN on port + 1). */
export async function freePortPair(attempts = 20): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(null));
      s.listen(port, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  for (let i = 0; i < attempts; i++) {
    const port = await listen(0);
    if (port !== null && port < 65535 && (await listen(port + 1)) !== null) return port;
  }
  throw new Error('no free port pair on 127.0.0.1');
}

export interface ServerHandle {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The last lines the server printed (for error messages). */
  output(): string;
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
  const url = `${opts.tlsCaFile ? 'https' : 'http'}://127.0.0.1:${port}`;
  // A separate RTC port window per server, so concurrent servers on this machine do not collide.
  const rtcMin = 42000 + (port % 40) * 500;
  const command = [...(opts.prefix ?? []), process.execPath, '--import', 'tsx', 'server/main.ts'];
  const child = spawn(command[0], command.slice(1), {
    cwd: opts.cwd ?? process.cwd(),
    env: {
      ...process.env,
      PORT: String(port),
      TURN_PORT: String(port + 1),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: opts.distDir ?? process.env.NEXT_DIST_DIR ?? '.next',
      SFU_RTC_MIN_PORT: String(rtcMin),
      SFU_RTC_MAX_PORT: String(rtcMin + 499),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(8_000).then(() => false)]);
    if (!killed) child.kill('SIGKILL');
    await exit;
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline && !exited) {
    try {
      if ((await probeStatus(`${url}/readyz`, opts.tlsCaFile)) === 200) return { url, pid: child.pid!, child, output: () => lines.join('\n'), stop };
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  await stop();
  throw new Error(`server did not become ready at ${url}:\n${lines.join('\n')}`);
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
