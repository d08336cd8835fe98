// Whether this server offers a TURN relay (GET /readyz → turn), so the lobby can warn before a call.
import { useEffect, useState } from 'react';

export interface TurnStatus {
  available: boolean;
  reason: string | null;
}

/** Null while loading or when /readyz cannot be read (the lobby then says nothing rather than guess). */
export function useTurnStatus(): TurnStatus | null {
  const [status, setStatus] = useState<TurnStatus | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    // /readyz answers 503 while the front end warms up, with the same body, so read it either way.
    fetch('/readyz', { signal: abort.signal, cache: 'no-store' })
      .then(async (res) => {
        const body = (await res.json()) as { turn?: Partial<TurnStatus> };
        if (body.turn && typeof body.turn.available === 'boolean') {
          setStatus({ available: body.turn.available, reason: body.turn.reason ?? null });
        }
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, []);
  return status;
}
