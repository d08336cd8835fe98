// What every operator endpoint (the failure drill, the room watch) shares: the bearer-token check,
// compared in constant time, and JSON answers that never echo the token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export const refusal = (code: string, message: string) => ({ error: { code, message } });

function authorized(req: IncomingMessage, token: string): 'ok' | 'missing' | 'wrong' {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return 'missing';
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'wrong';
}

/** True when the request carries the operator token; otherwise answers 401/403 (saying no more) and returns false. */
export function requireOperator(req: IncomingMessage, res: ServerResponse, token: string, logger: Logger, path: string): boolean {
  const auth = authorized(req, token);
  if (auth === 'ok') return true;
  const [status, message] = auth === 'missing' ? [401, 'send the operator token: Authorization: Bearer <token>'] : [403, 'wrong operator token'];
  sendJson(res, status, refusal(auth === 'missing' ? 'UNAUTHORIZED' : 'FORBIDDEN', message), auth === 'missing' ? { 'www-authenticate': 'Bearer' } : {});
  logger.warn({ path, auth }, 'operator request refused');
  return false;
}
