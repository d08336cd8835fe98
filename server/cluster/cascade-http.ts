// POST /internal/cascade/*, the endpoints other nodes call: Bearer CLUSTER_SECRET (constant time), zod-checked
// JSON, answers that say why (401, 404, 405, 413, 400; 500 logged), and never a throw.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ServerError } from '../../signaling/errors';
import { refusal, sendJson } from '../operator-http';
import type { Cascade } from './cascade';
import { CASCADE_PATHS, pipeClosedSchema, pipeRequestSchema, producerEventSchema } from './cascade-protocol';

const PREFIX = '/internal/cascade/';
/** A pipe request carries no more than ids, an address and SRTP keys. */
const MAX_BODY_BYTES = 16 * 1024;
/** A secret shorter than this is refused at startup: the endpoints make this node send media anywhere. */
const MIN_SECRET_LENGTH = 16;
const STATUS: Partial<Record<string, number>> = { BAD_REQUEST: 400, NOT_FOUND: 404, NOT_IN_ROOM: 404, SFU_UNAVAILABLE: 503 };

export type CascadeEndpoints = Pick<Cascade, 'handlePipe' | 'handlePipeData' | 'handleProducerEvent' | 'handlePipeClosed'>;

export interface CascadeHttpOptions {
  /** CLUSTER_SECRET. */
  secret: string;
  /** The cascade to act on; null answers 503 (the SFU is not clustered, or not started yet). */
  cascade: () => CascadeEndpoints | null;
  logger: Logger;
}

export function createCascadeHandler(options: CascadeHttpOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`CLUSTER_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  // Hashing both sides gives equal lengths, so the comparison leaks nothing about the secret's.
  const expected = digest(options.secret);
  const logger = options.logger.child({ module: 'cascade-http' });
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!path.startsWith(PREFIX)) return false;
    // The secret first: without it, a caller learns nothing about what lies under the prefix.
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!given || !timingSafeEqual(digest(given), expected)) {
      logger.warn({ path, remote: req.socket.remoteAddress, auth: given ? 'wrong' : 'missing' }, 'internal cascade request refused');
      return reject(req, res, 401, 'UNAUTHORIZED', 'send the cluster secret: Authorization: Bearer <CLUSTER_SECRET>', { 'www-authenticate': 'Bearer' });
    }
    const route = ROUTES[path];
    if (!route) return reject(req, res, 404, 'NOT_FOUND', `no internal endpoint ${path}`);
    if (req.method !== 'POST') return reject(req, res, 405, 'METHOD_NOT_ALLOWED', `${path} answers POST`, { allow: 'POST' });
    readBody(req, (body) => {
      if (body === 'too-large') return sendJson(res, 413, refusal('PAYLOAD_TOO_LARGE', `an internal request is at most ${MAX_BODY_BYTES} bytes`));
      const cascade = options.cascade();
      if (!cascade) return sendJson(res, 503, refusal('NOT_READY', 'this node has no clustered SFU'));
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, refusal('BAD_REQUEST', `${path} takes a JSON body`));
      }
      route(cascade, json)
        .then(({ status, body: answer }) => (answer === undefined ? res.writeHead(status, { 'cache-control': 'no-store' }).end() : sendJson(res, status, answer)))
        .catch((err: unknown) => {
          if (err instanceof ServerError) return sendJson(res, STATUS[err.code] ?? 400, refusal(err.code, err.message));
          logger.error({ err, path }, 'internal cascade request failed');
          sendJson(res, 500, refusal('INTERNAL', 'the request failed; the node logged the details'));
        });
    });
    return true;
  };
}

type Route = (cascade: CascadeEndpoints, json: unknown) => Promise<{ status: number; body?: unknown }>;

const ROUTES: Record<string, Route> = {
  [CASCADE_PATHS.pipe]: async (cascade, json) => ({ status: 200, body: await cascade.handlePipe(parse(pipeRequestSchema, json)) }),
  [CASCADE_PATHS.pipeData]: async (cascade, json) => ({ status: 200, body: await cascade.handlePipeData(parse(pipeRequestSchema, json)) }),
  [CASCADE_PATHS.producerEvent]: async (cascade, json) => {
    const event = parse(producerEventSchema, json);
    if (cascade.handleProducerEvent(event)) return { status: 204 };
    throw new ServerError('NOT_FOUND', `no pipe of producer ${event.producerId} from node ${event.nodeId} in room ${event.roomId}`);
  },
  [CASCADE_PATHS.pipeClosed]: async (cascade, json) => {
    const message = parse(pipeClosedSchema, json);
    if (cascade.handlePipeClosed(message)) return { status: 204 };
    throw new ServerError('NOT_FOUND', `no pipe ${message.transportId} with node ${message.nodeId} in room ${message.roomId}`);
  },
};

function parse<T>(schema: z.ZodType<T>, json: unknown): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw new ServerError('BAD_REQUEST', `invalid ${where}: ${issue?.message ?? 'does not match the schema'}`);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function readBody(req: IncomingMessage, done: (body: Buffer | 'too-large') => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => done(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
  req.on('error', () => undefined); // the client went away: nothing to answer
}

/** Answers without reading the body, and drains it so a keep-alive connection stays usable. */
function reject(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): true {
  req.resume();
  sendJson(res, status, refusal(code, message), headers);
  return true;
}
