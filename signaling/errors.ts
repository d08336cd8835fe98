// The server side's one error class: a stable wire code (from the protocol) plus a message naming
// what went wrong. Signaling handlers and the SFU throw it; the guard turns it into the ack's error.
import type { ErrorCode, WireError } from './protocol';

export class ServerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For refusals that lift with time (TOO_MANY_ATTEMPTS): when to try again. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ServerError';
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.retryAfterSec !== undefined) wire.retryAfterSec = this.retryAfterSec;
    return wire;
  }
}

/** Turns anything thrown into a wire error without leaking internals of unexpected failures. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ServerError) return err.toWire();
  return { code: 'INTERNAL', message: 'internal error; the server logged the details' };
}
