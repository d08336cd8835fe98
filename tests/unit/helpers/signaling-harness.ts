// A real call server on 127.0.0.1:0 and real Socket.IO clients, for signaling tests.
import { io as connect, type Socket } from 'socket.io-client';
import { freePortRun } from '../../../scripts/kit/lib/server-process';
import { connectCluster } from '../../../server/cluster/link';
import { parseConfig } from '../../../server/config';
import { createCallServer, type CallServer } from '../../../server/call-server';
import { createLogger } from '../../../server/logger';
import type { ServerSfu } from '../../../server/sfu/types';
import type { JoinReply, Result } from '../../../signaling/protocol';

export interface Harness {
  server: CallServer;
  url: string;
  client(): Promise<Socket>;
  close(): Promise<void>;
}

/**
 * A call server on loopback. With `env.REDIS_URL` (and CLUSTER_SECRET, NODE_ID) it is one node of a
 * cluster sharing that Redis, on a port chosen first so that it can publish its URL.
 */
export async function startHarness(env: Record<string, string> = {}, sfu: ServerSfu | null = null): Promise<Harness> {
  // A short grace period: disconnect tests see the seat held, then released, within a second.
  const fixedPort = env.REDIS_URL ? await freePortRun(1) : 0;
  const config = parseConfig({ NODE_ENV: 'test', RESUME_GRACE_SEC: '0.3', PORT: String(fixedPort), ...env });
  const logger = createLogger('silent');
  const cluster = config.cluster ? await connectCluster(config.cluster, logger) : undefined;
  const server = createCallServer(config, logger, sfu, { cluster });
  const port = await server.listen(fixedPort, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];
  return {
    server,
    url,
    client: () =>
      new Promise((resolve, reject) => {
        const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
        sockets.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      }),
    close: async () => {
      for (const s of sockets) s.disconnect();
      await server.close();
      await cluster?.close();
    },
  };
}

/** Emits a request and resolves with the ack's result (bounded in time). */
export function request<T = unknown>(socket: Socket, event: string, payload?: unknown): Promise<Result<T>> {
  return socket.timeout(5_000).emitWithAck(event, payload) as Promise<Result<T>>;
}

/** Resolves with the next payload of an event (bounded in time). */
export function nextEvent<T = unknown>(socket: Socket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Collects every payload of an event, for asserting that something did NOT arrive. */
export function record<T = unknown>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/** A new client that joins with this payload; throws with the server's code when refused. */
export async function joinAs(h: Harness, payload: Record<string, unknown>): Promise<{ socket: Socket; reply: JoinReply }> {
  const socket = await h.client();
  const result = await request<JoinReply>(socket, 'join', payload);
  if (!result.ok) throw new Error(`join failed: ${result.error.code} ${result.error.message}`);
  return { socket, reply: result.data };
}
