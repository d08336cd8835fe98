// A port bridge from the root namespace into the lab's server host: 127.0.0.1:<port> outside
// reaches 127.0.0.1:<port> inside, so the harness (/readyz, drills, /metrics) and the teacher's own
// browser reach the lab's server. It crosses through a Unix socket in the lab's private directory
// (filesystem sockets ignore network namespaces), with a tiny forwarder process inside. No
// interface, route or rule is added to the root namespace: only a listening socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Runs inside the namespace: Unix socket → 127.0.0.1:<port>. Plain JS for `node -e`.
const FORWARDER_JS = `
const net = require('node:net');
const [sock, port] = process.argv.slice(1);
net.createServer((a) => {
  const b = net.connect(Number(port), '127.0.0.1');
  a.pipe(b); b.pipe(a);
  a.on('error', () => b.destroy()); b.on('error', () => a.destroy());
}).listen(sock, () => console.log('ready'));
`;

export interface Bridge {
  port: number;
  close(): Promise<void>;
}

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

/**
 * Listens on 127.0.0.1:port in the root namespace and forwards to 127.0.0.1:port inside namespace
 * `ns`, through a socket file in `dir` (the lab's private directory).
 */
export async function bridgePort(ns: string, dir: string, port: number): Promise<Bridge> {
  const sock = join(dir, `bridge-${port}.sock`);
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', FORWARDER_JS, sock, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lab bridge for port ${port} exited (${code})`)));
  });
  await Promise.race([ready, sleep(10_000).then(() => Promise.reject(new Error(`lab bridge for port ${port} did not start`)))]).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  const open = new Set<Socket>();
  const server: Server = createServer((outside) => {
    open.add(outside);
    outside.once('close', () => open.delete(outside));
    pipeBoth(outside, createConnection(sock));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    port,
    async close() {
      child.kill('SIGKILL');
      // Keep-alive connections (fetch's pool) would hold server.close() open.
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
