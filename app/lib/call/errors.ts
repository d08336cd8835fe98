// Why a call failed, as the browser sees it: the server's wire codes when a request was refused,
// and the browser's own codes for failures no server reported (lost socket, ICE, media setup).
import type { ErrorCode, WireError } from '../../../signaling/protocol';

/** Failures only the browser can observe; never sent on the wire, so kept apart from ErrorCode. */
export const CLIENT_ERROR_CODES = [
  /** The signaling socket could not be opened (server down, wrong URL, blocked websocket). */
  'SIGNALING_UNREACHABLE',
  /** The signaling socket closed during the call. */
  'SIGNALING_LOST',
  /** A media connection failed ICE/DTLS and could not be used (SFU transport). */
  'ICE_FAILED',
  /** Setting up the mode's media failed in the browser (device load, unsupported codecs, ...). */
  'MEDIA_SETUP_FAILED',
  /** A request was made while the call was not joined (or closed while joining). */
  'NOT_JOINED',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export interface CallFailure {
  code: ErrorCode | ClientErrorCode;
  message: string;
  /** TOO_MANY_ATTEMPTS: seconds until another try can succeed. */
  retryAfterSec?: number;
}

/**
 * Failures that another attempt cannot fix as things stand (the room's mode, size or the input, or
 * the host's decision). A wrong passcode or a locked room can change, so those stay retryable.
 */
const FINAL_CODES: ReadonlySet<string> = new Set(['MODE_MISMATCH', 'ROOM_FULL', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNKNOWN_EVENT', 'REMOVED', 'FORBIDDEN']);

/** Whether "try again" can help: lost connections and busy servers yes, a full room or wrong mode no. */
export function isRetryable(failure: CallFailure): boolean {
  return !FINAL_CODES.has(failure.code);
}

/** A request the server refused: carries the server's error as it came off the wire. */
export class CallError extends Error {
  constructor(readonly failure: CallFailure) {
    super(`${failure.code}: ${failure.message}`);
    this.name = 'CallError';
  }

  static fromWire(wire: WireError): CallError {
    return new CallError({ code: wire.code, message: wire.message, ...(wire.retryAfterSec !== undefined ? { retryAfterSec: wire.retryAfterSec } : {}) });
  }
}

/** Anything thrown while joining, as a failure a person can read. */
export function toCallFailure(err: unknown): CallFailure {
  if (err instanceof CallError) return err.failure;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'MEDIA_SETUP_FAILED', message: `could not set up the call's media: ${message}` };
}
