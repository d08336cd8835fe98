// The failure drill, for teachers: causes a failure on purpose during a live demo so a class can
// watch what each topology survives. A separate surface from the participants' events, behind an
// operator bearer token (OPERATOR_TOKEN, or one generated and printed at startup).
//   POST /drill/signaling-outage?seconds=N  every signaling socket is dropped and new ones refused
//                                           for N seconds (1-120, default 15)
//   POST /drill/kill-worker                 the SFU worker with the most rooms is killed (SIGKILL);
//                                           the pool replaces it and its rooms' peers rebuild
//   POST /drill/restart-turn                the managed coturn is stopped and started again (same
//                                           port and secret): every relayed path is cut, and
//                                           only an ICE restart through the new coturn repairs it
//   POST /drill/restart-server?seconds=N    every part of the server (HTTP and signaling, SFU
//                                           workers, managed coturn) stops, and starts again from
//                                           nothing N seconds later (1-60, default 5)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { SignalingServer } from '../signaling/context';
import { refusal, requireOperator, sendJson as send } from './operator-http';
import type { ServerSfu } from './sfu/types';

export const DRILL_PREFIX = '/drill/';

/** Stops every service and starts them anew after the pause; main.ts owns them, so it provides this. */
export type RestartServer = (seconds: number) => void;
/** Restarts the managed coturn alone; null when TURN is not managed by this process. */
export type RestartTurn = () => void;

export interface DrillDeps {
  io: SignalingServer;
  sfu: ServerSfu | null;
  token: string;
  logger: Logger;
  /** Absent when the server was assembled without main.ts (tests): the drill says it cannot. */
  restart?: RestartServer;
  restartTurn?: RestartTurn;
}

/** A whole-number-of-seconds query parameter within bounds, or a 400 refusal. */
function secondsParam(url: URL, fallback: number, max: number): number | { status: number; body: unknown } {
  const seconds = Number(url.searchParams.get('seconds') ?? fallback);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > max) {
    return { status: 400, body: refusal('BAD_REQUEST', `seconds must be a number from 1 to ${max}`) };
  }
  return seconds;
}

/** Installs the drill on the signaling server and returns its HTTP handler (true when it answered). */
export function createDrill(deps: DrillDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  let outageUntil = 0;
  deps.io.use((_socket, next) => {
    if (Date.now() < outageUntil) next(new Error('signaling is down for a failure drill; retrying'));
    else next();
  });

  const actions: Record<string, (url: URL) => { status: number; body: unknown }> = {
    'signaling-outage': (url) => {
      const seconds = secondsParam(url, 15, 120);
      if (typeof seconds !== 'number') return seconds;
      outageUntil = Date.now() + seconds * 1000;
      deps.io.disconnectSockets(true);
      deps.logger.warn({ seconds }, 'failure drill: signaling outage');
      return { status: 200, body: { ok: true, action: 'signaling-outage', until: new Date(outageUntil).toISOString() } };
    },
    'kill-worker': () => {
      const pid = deps.sfu?.busiestWorkerPid() ?? null;
      if (pid === null) return { status: 409, body: refusal('SFU_UNAVAILABLE', 'no SFU worker is running') };
      process.kill(pid, 'SIGKILL');
      deps.logger.warn({ pid }, 'failure drill: SFU worker killed');
      return { status: 200, body: { ok: true, action: 'kill-worker', pid } };
    },
    'restart-turn': () => {
      if (!deps.restartTurn) return { status: 409, body: refusal('NOT_AVAILABLE', 'this server does not run its own coturn (TURN_MODE is not managed)') };
      deps.logger.warn('failure drill: restarting coturn; relayed paths are cut');
      const restartTurn = deps.restartTurn;
      setImmediate(() => restartTurn());
      return { status: 202, body: { ok: true, action: 'restart-turn' } };
    },
    'restart-server': (url) => {
      const seconds = secondsParam(url, 5, 60);
      if (typeof seconds !== 'number') return seconds;
      if (!deps.restart) return { status: 409, body: refusal('NOT_AVAILABLE', 'this server was not started by server/main.ts and cannot restart itself') };
      deps.logger.warn({ seconds }, 'failure drill: restarting the whole server');
      // After this answer is on its way: the restart closes the connection it travels on.
      const restart = deps.restart;
      setImmediate(() => restart(seconds));
      return { status: 202, body: { ok: true, action: 'restart-server', backAfterSeconds: seconds } };
    },
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://drill');
    if (!url.pathname.startsWith(DRILL_PREFIX)) return false;
    const action = actions[url.pathname.slice(DRILL_PREFIX.length)];
    if (!action) {
      send(res, 404, refusal('NOT_FOUND', `no drill at ${url.pathname}; try ${Object.keys(actions).map((a) => DRILL_PREFIX + a).join(', ')}`));
      return true;
    }
    if (req.method !== 'POST') {
      send(res, 405, refusal('METHOD_NOT_ALLOWED', 'drills are POST requests'), { allow: 'POST' });
      return true;
    }
    if (!requireOperator(req, res, deps.token, deps.logger, url.pathname)) return true;
    const { status, body } = action(url);
    send(res, status, body);
    return true;
  };
}
