// The gate every inbound message passes: rate limit, size cap, known event, schema, and one ack shape.
// Handlers never throw across the socket: every outcome becomes { ok, data } or { ok: false, error }.
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ServerError, toWireError } from './errors';
import type { Logger } from 'pino';
import { CLIENT_EVENTS, MAX_PAYLOAD_BYTES, type Result, type WireError } from './protocol';
import { TokenBucket } from './rate-limit';

type Reply = (result: Result<unknown>) => void;
const KNOWN_EVENTS = new Set<string>(CLIENT_EVENTS);

export interface GuardOptions {
  perSecond: number;
  burst: number;
  logger: Logger;
  onRefused?: (event: string, code: WireError['code']) => void;
}

/** Refuses a message through its ack, or through a protocol:error event when it has none. */
export function refuse(socket: Socket, event: string, args: unknown[], error: WireError): void {
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

/** Wraps a handler: parses the payload with its schema and answers through the ack exactly once. */
export function handle<S extends z.ZodType, T>(
  schema: S,
  fn: (data: z.infer<S>) => Promise<T> | T,
  logger: Logger,
): (payload: unknown, ack: (result: Result<T>) => void) => void {
  return (payload, ack) => {
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
      .then(() => fn(parsed.data))
      .then(
        (data) => ack({ ok: true, data }),
        (err: unknown) => {
          if (!(err instanceof ServerError)) logger.error({ err }, 'signaling handler failed');
          ack({ ok: false, error: toWireError(err) });
        },
      );
  };
}
