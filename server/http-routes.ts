// The server's own HTTP routes: probes (/healthz, /readyz), /metrics, and the browser's JSON API
// (/api/lobby, /api/ice-servers), with bodies typed by the protocol's HTTP shapes (signaling/http).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HTTP_PATHS,
  type HealthzResponse,
  type HttpErrorResponse,
  type IceServersResponse,
  type LobbyResponse,
  type ModesStatus,
  type PlaceResponse,
  type ReadyzResponse,
  type TurnStatus,
} from '../signaling/http';
import { ROOM_ID_PATTERN } from '../signaling/protocol';
import { sfuUnavailableReason } from '../signaling/sfu-service';
import type { Config } from './config';
import type { Metrics } from './metrics';
import type { ServerSfu } from './sfu/types';
import { iceServersFor } from './turn-credentials';

export interface RouteDeps {
  config: Config;
  metrics: Metrics;
  sfu: ServerSfu | null;
  /** Why TURN is not offered to browsers, or null when it is. */
  turnProblem: string | null;
  /** False until the front end is ready to serve pages. */
  isReady: () => boolean;
  /** In a cluster: the node a room should use (server/cluster/node-registry.ts placeRoom). */
  place?: (roomId: string) => Promise<PlaceResponse>;
}

type Route = (deps: RouteDeps, res: ServerResponse, url: URL) => Promise<void> | void;

/** Every route answers GET (and HEAD, which Node sends without the body); nothing here changes state. */
const ROUTES: Record<string, Route> = {
  [HTTP_PATHS.healthz]: (_deps, res) => sendJson<HealthzResponse>(res, 200, { ok: true }),
  [HTTP_PATHS.readyz]: (deps, res) => {
    const ready = deps.isReady();
    // Mesh needs only signaling, so the server is ready without the SFU; the body says why SFU is off.
    const turn = { ...turnStatus(deps), urls: deps.config.ice.turnUrls };
    sendJson<ReadyzResponse>(res, ready ? 200 : 503, { ready, modes: modesStatus(deps), turn });
  },
  [HTTP_PATHS.metrics]: async (deps, res) => {
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(body);
  },
  [HTTP_PATHS.lobby]: (deps, res) => sendJson<LobbyResponse>(res, 200, { modes: modesStatus(deps), turn: turnStatus(deps) }),
  [HTTP_PATHS.iceServers]: (deps, res) => {
    // For the connectivity check page: the same short-lived credentials a participant gets.
    const iceServers = iceServersFor(deps.config.ice, `check-${randomUUID().slice(0, 8)}`);
    sendJson<IceServersResponse>(res, 200, { iceServers, iceTtlSeconds: deps.config.ice.ttlSeconds, turn: turnStatus(deps) });
  },
  [HTTP_PATHS.place]: async (deps, res, url) => {
    const room = url.searchParams.get('room') ?? '';
    if (!ROOM_ID_PATTERN.test(room)) {
      const message = 'room: 1-64 letters, digits, "-" or "_", starting with a letter or digit';
      return sendJson<HttpErrorResponse>(res, 400, { error: { code: 'BAD_REQUEST', message } });
    }
    const single: PlaceResponse = { node: null, url: null, reason: 'one server holds every room' };
    sendJson<PlaceResponse>(res, 200, deps.place ? await deps.place(room) : single);
  },
};

/** Answers the request if it is one of ours; returns false to let Next.js handle it. */
export async function handleOwnRoute(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!route) {
    // The app has no API routes of its own, so an unknown /api/ path is a client's mistake, not a page.
    if (!path.startsWith('/api/')) return false;
    sendJson<HttpErrorResponse>(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${path}` } });
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    const message = `${path} answers GET and HEAD, not ${req.method}`;
    sendJson<HttpErrorResponse>(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message } });
    return true;
  }
  await route(deps, res, new URL(req.url ?? '/', 'http://route'));
  return true;
}

function sendJson<T>(res: ServerResponse, status: number, body: T): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function modesStatus(deps: RouteDeps): ModesStatus {
  const sfuReason = sfuUnavailableReason(deps.sfu);
  return {
    mesh: { available: true, reason: null, maxPeers: deps.config.rooms.meshMaxPeers },
    sfu: { available: sfuReason === null, reason: sfuReason, maxPeers: deps.config.rooms.sfuMaxPeers },
  };
}

function turnStatus(deps: RouteDeps): TurnStatus {
  return { available: deps.turnProblem === null, reason: deps.turnProblem };
}
