// React's view of a CallEngine: the snapshot through useSyncExternalStore, nothing mode-specific.
import { useSyncExternalStore } from 'react';
import type { CallEngine, CallSnapshot } from '../call/engine';

const noSubscribe = () => () => undefined;
const noSnapshot = () => null;

/** The engine's current snapshot, or null while there is no engine yet. */
export function useCallSnapshot(engine: CallEngine | null): CallSnapshot | null {
  return useSyncExternalStore<CallSnapshot | null>(
    engine ? engine.subscribe : noSubscribe,
    engine ? engine.getSnapshot : noSnapshot,
    noSnapshot,
  );
}
