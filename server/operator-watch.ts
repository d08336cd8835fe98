// The operator's room view: GET /operator/room?room=<id> answers who is in the room and each
// participant's latest shared stats summary (path, RTT, rates), for a teacher's screen that is not
// itself in the call (the /watch page), e.g. a browser outside the network lab. Behind the operator
// token, like the drill: a room's roster and network paths are not for anyone who guesses its name.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { OPERATOR_PATHS } from '../signaling/http';
import { ROOM_ID_PATTERN } from '../signaling/protocol';
import type { RoomRegistry } from '../signaling/rooms';
import { refusal, requireOperator, sendJson } from './operator-http';

const WATCH_PATH = OPERATOR_PATHS.room;

export function createOperatorWatch(deps: { rooms: RoomRegistry; token: string; logger: Logger }): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://operator');
    if (url.pathname !== WATCH_PATH) return false;
    if (req.method !== 'GET') {
      sendJson(res, 405, refusal('METHOD_NOT_ALLOWED', `${WATCH_PATH} answers GET`), { allow: 'GET' });
      return true;
    }
    if (!requireOperator(req, res, deps.token, deps.logger, url.pathname)) return true;
    const room = url.searchParams.get('room') ?? '';
    if (!ROOM_ID_PATTERN.test(room)) {
      sendJson(res, 400, refusal('BAD_REQUEST', 'room: 1-64 letters, digits, "-" or "_", starting with a letter or digit'));
      return true;
    }
    deps.rooms.view(room).then(
      (view) => (view ? sendJson(res, 200, view) : sendJson(res, 404, refusal('NOT_FOUND', `nobody is in room ${room}`))),
      (err: unknown) => {
        deps.logger.error({ err }, 'operator room view failed');
        sendJson(res, 500, refusal('INTERNAL', 'the room view could not be read'));
      },
    );
    return true;
  };
}
