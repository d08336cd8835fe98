// The gate every inbound message passes: rate limit, size cap, known event, schema, and one ack shape.
// Handlers never throw across the socket: every outcome becomes { ok, data } or { ok: false, error }.
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { SignalingSocket } from './context';
import { ServerError, toWireError } from './errors';
import {
  CLIENT_EVENT_SCHEMAS,
  CLIENT_EVENTS,
  MAX_PAYLOAD_BYTES,
  type ClientEvent,
  type ClientReplies,
  type ClientRequest,
  type Result,
  type WireError,
} from './protocol';
import { TokenBucket } from './rate-limit';

type Reply<T = unknown> = (result: Result<T>) => void;
const KNOWN_EVENTS = new Set<string>(CLIENT_EVENTS);

export interface GuardOptions {
  perSecond: number;
  burst: number;
  logger: Logger;
  onRefused?: (event: string, code: WireError['code']) => void;
}

/** Refuses a message through its ack, or through a protocol:error event when it has none. */
function refuse(socket: Socket, event: string, args: unknown[], error: WireError): void {
  const ack = args.at(-1);
  if (typeof ack === 'function') (ack as Reply)({ ok: false, error });
  else socket.emit('protocol:error', { ...error, event });
}

/** Socket middleware: checks that need no knowledge of the event's schema. */
export function installGuard(socket: Socket, options: GuardOptions): void {
  const bucket = new TokenBucket(options.perSecond, options.burst);
  socket.use(([event, ...args], next) => {
    const error = firstProblem(bucket, event, args);
    if (!error) return next();
    options.onRefused?.(event, error.code);
    options.logger.debug({ socketId: socket.id, event, code: error.code }, 'refused signaling message');
    refuse(socket, event, args, error);
  });
}

function firstProblem(bucket: TokenBucket, event: string, args: unknown[]): WireError | null {
  if (!bucket.take()) return { code: 'RATE_LIMITED', message: 'too many messages; slow down' };
  if (!KNOWN_EVENTS.has(event)) return { code: 'UNKNOWN_EVENT', message: `unknown event "${String(event).slice(0, 64)}"` };
  const payload = typeof args.at(-1) === 'function' ? args.slice(0, -1) : args;
  const size = byteLength(payload);
  if (size > MAX_PAYLOAD_BYTES) {
    return { code: 'PAYLOAD_TOO_LARGE', message: `payload is ${size} bytes; the limit is ${MAX_PAYLOAD_BYTES}` };
  }
  if (typeof args.at(-1) !== 'function') {
    return { code: 'BAD_REQUEST', message: `"${event}" is a request: send it with an acknowledgement callback` };
  }
  return null;
}

function byteLength(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY; // cyclic or unserialisable: treat as too large
  }
}

type Handler<E extends ClientEvent> = (data: ClientRequest<E>) => Promise<ClientReplies[E]> | ClientReplies[E];

/**
 * Registers the handler of one request. The payload is parsed with the event's schema from the
 * protocol's map, and the ack is answered exactly once: the handler's data, or its ServerError as
 * { code, message }, or INTERNAL (logged) for anything else it throws.
 */
export function onRequest<E extends ClientEvent>(socket: SignalingSocket, event: E, fn: Handler<E>, logger: Logger): void {
  const schema: z.ZodType = CLIENT_EVENT_SCHEMAS[event];
  const listener = (payload: unknown, ack: Reply<ClientReplies[E]>) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const message = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
        .join('; ');
      ack({ ok: false, error: { code: 'BAD_REQUEST', message } });
      return;
    }
    Promise.resolve()
      // TypeScript cannot tie a generic key to its entry of the map; the map itself pins the pair.
      .then(() => fn(parsed.data as ClientRequest<E>))
      .then(
        (data) => ack({ ok: true, data }),
        (err: unknown) => {
          if (!(err instanceof ServerError)) logger.error({ err, event }, 'signaling handler failed');
          ack({ ok: false, error: toWireError(err) });
        },
      );
  };
  // socket.io's typed on() cannot relate a generic event name to its listener type.
  socket.on(event, listener as never);
}
