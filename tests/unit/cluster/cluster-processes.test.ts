// The cluster's processes, for real: redis-server on loopback with its own data folder, two server
// nodes on it, one node SIGKILLed (a crash) while the other carries on, and a stop that leaves no
// process (nodes, Redis, their coturns and mediasoup workers) and no folder (Redis's, coturns') behind.
// Needs the production build (.next), which scripts/test.sh makes (setup) before running vitest.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeLayout, startNodes, type Nodes } from '../../../scripts/kit/lib/cluster/nodes';
import { startRedis, type RedisHandle } from '../../../scripts/kit/lib/cluster/redis-server';
import { freePortRun } from '../../../scripts/kit/lib/server-process';

/** Addresses listening on TCP `port` in this network namespace (from /proc, no traffic). */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length > 3 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A')
      .map((f) => {
        const hex = f[1].split(':')[0];
        // IPv4 is stored little-endian; anything IPv6 is reported as such.
        return hex.length === 8 ? [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.') : `ipv6:${hex}`;
      }),
  );
}

/** Running (not zombie) processes by pid → parent pid, from /proc. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') table.set(Number(name), Number(ppid));
    } catch {
      // exited while listing
    }
  }
  return table;
}

/** `pid` and every process below it (coturn, mediasoup workers under a node). */
function tree(pid: number): number[] {
  const table = processTable();
  const found = [pid];
  for (let i = 0; i < found.length && i < 1000; i++) {
    for (const [child, parent] of table) if (parent === found[i] && !found.includes(child)) found.push(child);
  }
  return found.filter((p) => table.has(p));
}

/** The nodes' coturn folders (server/managed-turn.ts) whose pid file names one of `pids`. */
function coturnDirsOf(pids: Set<number>): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith('mesh-vs-sfu-turn-'))
    .filter((name) => {
      try {
        return pids.has(Number(readFileSync(join(tmpdir(), name, 'turnserver.pid'), 'utf8').trim()));
      } catch {
        return false;
      }
    });
}

const running = (pids: number[]) => {
  const table = processTable();
  return pids.filter((p) => table.has(p));
};

/** Polls `check` every 200 ms until true, at most `ms` (and ms / 200 tries). */
async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (let i = 0; i < Math.ceil(ms / 200) && Date.now() < deadline; i++) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function healthz(url: string): Promise<number> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) });
  expect(await res.json()).toEqual({ ok: true });
  return res.status;
}

describe('cluster port layout', () => {
  it('puts node i on base+i, its coturn on turnBase+i and its SFU on its own 1000 ports', () => {
    expect(nodeLayout(2, { basePort: 3000, turnBasePort: 3478 })).toEqual([
      { id: 'node-1', port: 3000, turnPort: 3478, rtcPorts: { min: 40000, max: 40999 } },
      { id: 'node-2', port: 3001, turnPort: 3479, rtcPorts: { min: 41000, max: 41999 } },
    ]);
    expect(() => nodeLayout(3, { basePort: 3477, turnBasePort: 3478 })).toThrow(/overlap/);
  });
});

describe('cluster processes', () => {
  let redis: RedisHandle | null = null;
  let nodes: Nodes | null = null;
  /** Every pid this file started, directly or below a node: none may outlive the stop. */
  const pids = new Set<number>();

  afterAll(async () => {
    await nodes?.stop();
    await redis?.stop();
  }, 30_000);

  it('says how to install redis-server when it is missing', async () => {
    await expect(startRedis({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/not installed: run scripts\/setup\.sh/);
  });

  it('starts redis-server on 127.0.0.1 only, with its own folder, answering PING', { timeout: 20_000 }, async () => {
    redis = await startRedis();
    pids.add(redis.pid);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(existsSync(redis.dir)).toBe(true);
    expect(listeners(redis.port)).toEqual(['127.0.0.1']);
    const client = createClient({ url: redis.url, socket: { connectTimeout: 3_000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.destroy();
    }
  });

  it('says why a second redis-server on a taken port did not start, with its last lines', { timeout: 20_000 }, async () => {
    await expect(startRedis({ port: redis!.port, timeoutMs: 5_000 })).rejects.toThrow(/did not start on 127\.0\.0\.1:\d+: it exited[\s\S]*Address already in use/);
  });

  it('starts two nodes on it that answer /healthz; a SIGKILLed node closes its port, the other carries on', { timeout: 120_000 }, async () => {
    nodes = await startNodes({ count: 2, redisUrl: redis!.url, timeoutMs: 90_000 });
    const [one, two] = nodes.nodes;
    expect([one.id, two.id]).toEqual(['node-1', 'node-2']);
    expect(two.port).toBe(one.port + 1);
    expect(await healthz(one.url)).toBe(200);
    expect(await healthz(two.url)).toBe(200);
    for (const n of nodes.nodes) tree(n.pid).forEach((p) => pids.add(p));
    const below = tree(two.pid);
    expect(coturnDirsOf(pids), 'each node runs its own coturn').toHaveLength(2);

    await two.kill('SIGKILL');
    expect(two.alive()).toBe(false);
    expect(await eventually(async () => !(await portOpen(two.port)), 10_000)).toBe(true);
    expect(await healthz(one.url)).toBe(200);
    // Its coturn (parent death signal) and mediasoup workers (their channel closed) die with it.
    expect(await eventually(() => running(below).length === 0, 15_000), `still running: ${running(below).join(', ')}`).toBe(true);
  });

  it('stops every node and Redis: no process left, no data folder', { timeout: 60_000 }, async () => {
    const dir = redis!.dir;
    const n = nodes!.nodes[0];
    tree(n.pid).forEach((p) => pids.add(p));
    await nodes!.stop();
    await redis!.stop();
    expect(n.alive()).toBe(false);
    expect(await eventually(() => running([...pids]).length === 0, 15_000), `still running: ${running([...pids]).join(', ')}`).toBe(true);
    expect(existsSync(dir)).toBe(false);
    // The killed node's coturn could not remove its folder itself; the cluster's stop did.
    expect(coturnDirsOf(pids)).toEqual([]);
    expect(await portOpen(redis!.port)).toBe(false);
  });
});

describe('npm run cluster', () => {
  it('starts Redis and a node, prints their URLs, and on SIGINT stops both: exit 130, nothing left', { timeout: 120_000 }, async () => {
    const port = await freePortRun(1);
    const turnPort = await freePortRun(1);
    const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/kit/cli/cluster.ts', '--nodes', '1', '--port', String(port), '--turn-port', String(turnPort), '--skip-setup'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    try {
      expect(await eventually(() => out.includes('Ctrl-C stops everything') || cli.exitCode !== null, 90_000), out).toBe(true);
      const redisUrl = /Redis (redis:\/\/127\.0\.0\.1:\d+) \(pid (\d+), data folder (\S+)\)/.exec(out);
      const node = new RegExp(`node-1 +http://127\\.0\\.0\\.1:${port} +pid (\\d+), TURN 127\\.0\\.0\\.1:${turnPort}`).exec(out);
      expect(redisUrl, out).not.toBeNull();
      expect(node, out).not.toBeNull();
      expect(await healthz(`http://127.0.0.1:${port}`)).toBe(200);
      const started = new Set([Number(redisUrl![2]), ...tree(Number(node![1]))]);
      // The CLI alone gets the signal (its children have their own process groups): it stops them.
      cli.kill('SIGINT');
      expect(await Promise.race([exit, sleep(30_000, undefined, { ref: false }).then(() => 'timeout')])).toBe(130);
      expect(out).toContain('stopped every node and Redis');
      expect(await eventually(() => running([...started]).length === 0, 10_000), `still running: ${running([...started]).join(', ')}`).toBe(true);
      expect(existsSync(redisUrl![3])).toBe(false);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
  });
});
