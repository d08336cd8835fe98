// Turns bad client-supplied media parameters (as mediasoup or our own checks find them) into wire errors.
import { ServerError } from '../../signaling/errors';

/**
 * mediasoup validates parameters both in Node (TypeError) and in the worker (Error with the
 * worker's reason); either way the client sent something unusable. A closed object
 * (InvalidStateError) is a race on our side, so it is passed on as an internal error.
 */
export function mediaError(what: string, err: unknown): unknown {
  if (err instanceof ServerError) return err;
  if (err instanceof Error && err.name === 'InvalidStateError') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ServerError('BAD_REQUEST', `invalid ${what}: ${message}`);
}

/** mediasoup maps codecs by MIME type only, so it would accept an Opus "video" producer. */
export function checkCodecKind(kind: 'audio' | 'video', rtpParameters: unknown): void {
  const codecs = (rtpParameters as { codecs?: unknown } | null)?.codecs;
  if (!Array.isArray(codecs)) return; // mediasoup itself reports the missing codecs
  for (const codec of codecs) {
    const mimeType = (codec as { mimeType?: unknown } | null)?.mimeType;
    if (typeof mimeType === 'string' && !mimeType.toLowerCase().startsWith(`${kind}/`)) {
      throw new ServerError('BAD_REQUEST', `invalid rtpParameters: codec ${mimeType} does not match kind ${kind}`);
    }
  }
}
