// POST /api/leave: the HTTP side of a page's leave beacon (signaling/leave-beacon.ts). A small
// JSON body (navigator.sendBeacon sends it as text/plain), answered 204, or an error body that says
// why: 405 other methods, 413 over 2 KiB, 400 not { roomId, token }, 403 a token this server did
// not sign for that room, 404 a seat already gone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignalingContext } from '../signaling/context';
import { ServerError } from '../signaling/errors';
import { BEACON_PATHS } from '../signaling/http';
import { leaveWithToken } from '../signaling/leave-beacon';
import { refusal, sendJson } from './operator-http';

const MAX_BODY_BYTES = 2048;
const STATUS: Partial<Record<string, number>> = { BAD_REQUEST: 400, RESUME_REFUSED: 403, NOT_IN_ROOM: 404 };

export function createLeaveBeacon(context: () => SignalingContext | null): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== BEACON_PATHS.leave) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, refusal('METHOD_NOT_ALLOWED', `${BEACON_PATHS.leave} answers POST`), { allow: 'POST' });
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return sendJson(res, 413, refusal('PAYLOAD_TOO_LARGE', `a leave beacon is at most ${MAX_BODY_BYTES} bytes`));
      const ctx = context();
      if (!ctx) return sendJson(res, 503, refusal('NOT_READY', 'signaling is not running'));
      const leave = async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new ServerError('BAD_REQUEST', 'a leave beacon is JSON: { roomId, token }');
        }
        await leaveWithToken(ctx, body);
      };
      leave().then(
        () => res.writeHead(204, { 'cache-control': 'no-store' }).end(),
        (err: unknown) => {
          if (err instanceof ServerError) return sendJson(res, STATUS[err.code] ?? 400, refusal(err.code, err.message));
          ctx.logger.error({ err }, 'leave beacon failed');
          sendJson(res, 500, refusal('INTERNAL', 'the leave beacon could not be handled'));
        },
      );
    });
    return true;
  };
}
