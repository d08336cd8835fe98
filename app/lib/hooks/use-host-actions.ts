// The host's controls as the UI uses them: remove a participant, lock or unlock the room, and the
// last refusal in words (for example FORBIDDEN when someone else became host meanwhile).
import { useCallback, useState } from 'react';
import type { CallEngine } from '../call/engine';
import { CallError } from '../call/errors';

export interface HostActions {
  remove(peerId: string): void;
  setLocked(locked: boolean): void;
  error: string | null;
}

export function useHostActions(engine: CallEngine): HostActions {
  const [error, setError] = useState<string | null>(null);
  const run = useCallback((action: Promise<unknown>) => {
    setError(null);
    action.catch((err: unknown) => setError(err instanceof CallError ? err.failure.message : String(err)));
  }, []);
  const remove = useCallback((peerId: string) => run(engine.room.request('host:remove', { peerId })), [engine, run]);
  const setLocked = useCallback((locked: boolean) => run(engine.room.request('host:lock', { locked })), [engine, run]);
  return { remove, setLocked, error };
}
