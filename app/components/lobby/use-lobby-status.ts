// Which modes this server offers right now (GET /api/modes), so the lobby can explain an unavailable SFU.
import { useEffect, useState } from 'react';
import type { Mode } from '../../../signaling/protocol';

export interface ModeStatus {
  available: boolean;
  reason: string | null;
  maxPeers: number;
}
export type ModesStatus = Record<Mode, ModeStatus>;

export type ModesState = { state: 'loading' } | { state: 'ready'; modes: ModesStatus } | { state: 'error'; message: string };

export function useModes(): ModesState {
  const [state, setState] = useState<ModesState>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    fetch('/api/modes', { signal: abort.signal, cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        setState({ state: 'ready', modes: (await res.json()) as ModesStatus });
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setState({ state: 'error', message: String(err) });
      });
    return () => abort.abort();
  }, []);
  return state;
}
