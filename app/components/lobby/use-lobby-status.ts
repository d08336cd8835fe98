// What the lobby shows before a call (GET /api/lobby): which modes the server offers right now, and
// whether it offers a TURN relay. The body is checked against the protocol's own schema.
import { useEffect, useState } from 'react';
import { HTTP_PATHS, lobbyResponseSchema, type LobbyResponse } from '../../../signaling/http';

export type LobbyState = { state: 'loading' } | ({ state: 'ready' } & LobbyResponse) | { state: 'error'; message: string };

export function useLobbyStatus(): LobbyState {
  const [state, setState] = useState<LobbyState>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    fetch(HTTP_PATHS.lobby, { signal: abort.signal, cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = lobbyResponseSchema.safeParse(await res.json());
        if (!body.success) throw new Error(`unexpected answer from ${HTTP_PATHS.lobby}`);
        setState({ state: 'ready', ...body.data });
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setState({ state: 'error', message: String(err) });
      });
    return () => abort.abort();
  }, []);
  return state;
}
