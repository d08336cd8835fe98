// Joins this server to a cluster: one Redis connection carries the Socket.IO Redis Streams adapter
// (events cross nodes, and survive a Redis restart), the shared room store and the node registry.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient, type RedisClientType } from 'redis';
import type { Logger } from 'pino';
import type { RoomStore } from '../../signaling/room-store';
import { NodeRegistry } from './node-registry';
import { RedisRoomStore } from './redis-room-store';

export interface ClusterSettings {
  redisUrl: string;
  nodeId: string;
  internalUrl: string;
  publicUrl: string;
  secret: string;
}

export interface ClusterLink {
  nodeId: string;
  settings: ClusterSettings;
  redis: RedisClientType;
  store: RoomStore;
  adapter: ReturnType<typeof createAdapter>;
  /** Where every node is and how loaded (call-server.ts starts its heartbeat). */
  registry: NodeRegistry;
  close(): Promise<void>;
}

/** Connects to Redis (a clear error when it cannot within a few seconds) and builds the shared parts. */
export async function connectCluster(settings: ClusterSettings, logger: Logger): Promise<ClusterLink> {
  const redis: RedisClientType = createClient({
    url: settings.redisUrl,
    // Keep trying while Redis restarts; the adapter resumes its stream where it left off.
    socket: { connectTimeout: 3_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  let lastError = '';
  redis.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    logger.warn({ err: err.message, redis: redactUrl(settings.redisUrl) }, 'Redis connection problem');
  });
  redis.on('ready', () => {
    if (lastError) logger.info({ redis: redactUrl(settings.redisUrl) }, 'Redis connection back');
    lastError = '';
  });
  await Promise.race([
    redis.connect(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`cannot reach Redis at ${redactUrl(settings.redisUrl)} (REDIS_URL) within 5 s`)), 5_000).unref()),
  ]).catch(async (err: unknown) => {
    await redis.destroy();
    throw err;
  });
  const registry = new NodeRegistry(redis, { id: settings.nodeId, url: settings.internalUrl, publicUrl: settings.publicUrl });
  let closed: Promise<void> | null = null;
  return {
    nodeId: settings.nodeId,
    settings,
    redis,
    store: new RedisRoomStore(redis),
    adapter: createAdapter(redis),
    registry,
    close: () =>
      (closed ??= (async () => {
        await registry.stop();
        await redis.close().catch(() => redis.destroy());
      })()),
  };
}

/** A Redis URL may hold a password: never log it. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
