// The server's own HTTP routes: health, readiness, metrics and the lobby's mode availability.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Config } from './config';
import { iceServersFor } from './turn-credentials';
import type { Metrics } from './metrics';
import type { ServerSfu } from './sfu/types';

export interface RouteDeps {
  config: Config;
  metrics: Metrics;
  sfu: ServerSfu | null;
  /** Why TURN is not offered to browsers, or null when it is. */
  turnProblem: string | null;
  /** False until the front end is ready to serve pages. */
  isReady: () => boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function modesStatus(deps: RouteDeps) {
  const sfuReason = deps.sfu ? deps.sfu.unavailableReason() : 'SFU mode is disabled on this server (SFU_ENABLED=0)';
  return {
    mesh: { available: true, reason: null, maxPeers: deps.config.rooms.meshMaxPeers },
    sfu: { available: sfuReason === null, reason: sfuReason, maxPeers: deps.config.rooms.sfuMaxPeers },
  };
}

/** Answers the request if it is one of ours; returns false to let Next.js handle it. */
export async function handleOwnRoute(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/healthz':
      sendJson(res, 200, { ok: true });
      return true;
    case '/readyz': {
      const modes = modesStatus(deps);
      const ready = deps.isReady();
      // Mesh needs only signaling, so the server is ready without the SFU; the body says why SFU is off.
      const turn = { available: deps.turnProblem === null, reason: deps.turnProblem, urls: deps.config.ice.turnUrls };
      sendJson(res, ready ? 200 : 503, { ready, modes, turn });
      return true;
    }
    case '/metrics':
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      res.end(await deps.metrics.registry.metrics());
      return true;
    case '/api/ice-servers': {
      // For the connectivity check page: the same short-lived credentials a participant gets.
      const user = `check-${randomUUID().slice(0, 8)}`;
      const iceServers = iceServersFor(deps.config.ice, user);
      sendJson(res, 200, { iceServers, iceTtlSeconds: deps.config.ice.ttlSeconds, turn: { available: deps.turnProblem === null, reason: deps.turnProblem } });
      return true;
    }
    case '/api/modes':
      sendJson(res, 200, modesStatus(deps));
      return true;
    default:
      return false;
  }
}
