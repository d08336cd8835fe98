// Assembles one HTTP server: our routes, Socket.IO signaling, and (optionally) the Next.js pages.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server as SocketServer } from 'socket.io';
import type { SignalingContext, SignalingServer } from '../signaling/context';
import { KeyedQueue } from '../signaling/keyed-queue';
import { RoomAccess } from '../signaling/room-access';
import { MemoryRoomStore } from '../signaling/room-store';
import { RoomRegistry } from '../signaling/rooms';
import { Seats } from '../signaling/seats';
import { holdLostNodeSeats } from '../signaling/node-loss';
import { attachSignaling } from '../signaling/server';
import { createCascadeHandler } from './cluster/cascade-http';
import { ClusterSfu } from './cluster/cluster-sfu';
import type { ClusterLink } from './cluster/link';
import { placeOn } from './cluster/placement';
import type { Config } from './config';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { createDrill, type RestartServer, type RestartTurn } from './drill';
import { handleOwnRoute } from './http-routes';
import { createLeaveBeacon } from './leave-beacon-http';
import { createOperatorWatch } from './operator-watch';
import { originAllowed } from './origin-check';
import { applyPagePolicy, setBaseSecurityHeaders } from './security-headers';
import type { ServerSfu } from './sfu/types';
import { iceServersFor } from './turn-credentials';

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface CallServer {
  http: Server;
  io: SignalingServer;
  rooms: RoomRegistry;
  metrics: Metrics;
  setPageHandler(handler: PageHandler): void;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createCallServer(
  config: Config,
  logger: Logger,
  sfu: ServerSfu | null,
  options: {
    turnProblem?: string | null;
    restart?: RestartServer;
    restartTurn?: RestartTurn;
    tls?: { cert: string; key: string };
    /** Several nodes sharing rooms through Redis (server/cluster); absent: everything in this process. */
    cluster?: ClusterLink;
  } = {},
): CallServer {
  const rooms = new RoomRegistry(config.rooms, options.cluster?.store ?? new MemoryRoomStore());
  const metrics = createMetrics(rooms, sfu, options.cluster?.registry);
  let pages: PageHandler | null = null;

  let drill: ReturnType<typeof createDrill> | null = null;
  const watch = createOperatorWatch({ rooms, token: config.operatorToken, logger });
  const place = options.cluster ? (roomId: string) => placeOn(options.cluster!.registry, rooms, roomId) : undefined;
  // Reads the signaling context once it exists (below): requests only come after listen().
  let signalingContext: SignalingContext | null = null;
  const leaveBeacon = createLeaveBeacon(() => signalingContext);
  // The other nodes' requests to pipe this node's producers to them (SFU rooms spanning nodes).
  const cascadeHttp = options.cluster && sfu instanceof ClusterSfu ? createCascadeHandler({ secret: options.cluster.settings.secret, cascade: () => sfu.cascade, logger }) : () => false;
  // HTTPS when a certificate is given (PUBLIC_HOST: a class on the LAN), plain http on one machine.
  const serve = (handler: RequestListener): Server => (options.tls ? createHttpsServer(options.tls, handler) : createServer(handler));
  const http = serve((req, res) => {
    setBaseSecurityHeaders(res);
    if (drill?.(req, res) || watch(req, res) || leaveBeacon(req, res) || cascadeHttp(req, res)) return;
    const deps = { config, metrics, sfu, turnProblem: options.turnProblem ?? null, isReady: () => pages !== null, place };
    handleOwnRoute(deps, req, res)
      .then(async (handled) => {
        if (handled) return;
        if (pages) {
          // A cluster's pages may move their signaling to any node (PUBLIC_ORIGINS lists them).
          applyPagePolicy(req, res, config.dev, options.cluster ? config.publicOrigins : []);
          return pages(req, res);
        }
        res.writeHead(503, { 'content-type': 'text/plain' }).end('starting up');
      })
      .catch((err: unknown) => {
        logger.error({ err, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500).end('internal error');
      });
  });

  // Engine.IO drops a connection whose frame exceeds this, so keep it above the per-message cap
  // (64 KB, enforced with an error ack) to answer oversized messages instead of disconnecting.
  const io: SignalingServer = new SocketServer(http, {
    maxHttpBufferSize: 1_000_000,
    serveClient: false,
    ...(options.cluster ? { adapter: options.cluster.adapter } : {}),
    allowRequest: (req, callback) => {
      const check = originAllowed(req, config.publicOrigins);
      if (check.ok) return callback(null, true);
      logger.warn({ origin: check.origin }, 'signaling connection refused: foreign origin');
      callback('this page\'s origin may not use this signaling server (PUBLIC_ORIGINS)', false);
    },
  });
  const seats = new Seats(config.resume.graceMs);
  drill = createDrill({ io, sfu, token: config.operatorToken, logger, restart: options.restart, restartTurn: options.restartTurn });
  const signaling: SignalingContext = {
    io,
    rooms,
    access: new RoomAccess(rooms),
    sfu,
    logger,
    iceServersFor: (peerId) => iceServersFor(config.ice, peerId),
    iceTtlSeconds: config.ice.ttlSeconds,
    seats,
    resumeSecret: config.resume.secret,
    bootId: randomUUID(),
    nodeId: options.cluster?.nodeId ?? null,
    liveNodes: async () => ((await registry?.list()) ?? []).map((n) => ({ id: n.id, url: n.publicUrl })),
    switches: new KeyedQueue(),
  };
  attachSignaling(signaling, { ...config.rateLimit, onRefused: (_event, code) => metrics.refused.inc({ code }) });
  signalingContext = signaling;
  const registry = options.cluster?.registry;
  if (registry) registry.measure = () => ({ participants: io.of('/').sockets.size, rooms: sfu?.counts().rooms ?? 0 });
  const joined = registry?.start(
    (lostNodeId) => {
      // Every node closes its own pipes to the lost one; one of them holds its seats.
      if (sfu instanceof ClusterSfu) void sfu.dropNode(lostNodeId);
      void registry.claim(lostNodeId).then(async (mine) => {
        if (mine) await holdLostNodeSeats(signaling, lostNodeId);
      }).catch((err: unknown) => logger.error({ err, node: lostNodeId }, 'taking over a lost node failed'));
    },
    (err) => logger.warn({ err }, 'cluster heartbeat failed'),
  );

  return {
    http,
    io,
    rooms,
    metrics,
    setPageHandler: (handler) => {
      pages = handler;
    },
    listen: async (port, host) => {
      await joined;
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const address = http.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    close: async () => {
      seats.close();
      await registry?.stop();
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      // Keep-alive page requests would hold the port open until they time out.
      http.closeAllConnections();
      await closed;
    },
  };
}
