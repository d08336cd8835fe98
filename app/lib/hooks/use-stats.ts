// Runs the stats collector for as long as a call is joined, and gives React its state.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CallEngine } from '../call/engine';
import { StatsCollector, type CollectorState } from '../stats/collector';

const EMPTY: CollectorState = { samples: [], room: {}, server: [] };
const noSubscribe = () => () => undefined;
const empty = () => EMPTY;

export function useStatsCollector(engine: CallEngine, joined: boolean): { collector: StatsCollector | null; state: CollectorState } {
  const [collector, setCollector] = useState<StatsCollector | null>(null);
  useEffect(() => {
    if (!joined) return;
    const next = new StatsCollector(engine);
    next.start();
    setCollector(next);
    return () => {
      next.stop();
      setCollector(null);
    };
  }, [engine, joined]);
  const state = useSyncExternalStore(collector?.subscribe ?? noSubscribe, collector?.getState ?? empty, empty);
  return { collector, state };
}
