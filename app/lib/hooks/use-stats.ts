// Runs the stats collector and the room sharing for as long as a call is joined (feeding a
// presentation view in another tab too), and gives React their combined state.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CallEngine } from '../call/engine';
import { livePublisher } from '../present/live-channel';
import { pointOf } from '../present/session';
import { StatsCollector, type CollectorState } from '../stats/collector';
import { StatsSharing, type SharingState } from '../stats/sharing';

export type CallStatsState = CollectorState & SharingState;

const NO_SAMPLES: CollectorState = { samples: [] };
const NO_SHARING: SharingState = { room: {}, server: [], serverHistory: [], receivedHistory: {} };
const noSubscribe = () => () => undefined;

export function useCallStats(engine: CallEngine, joined: boolean): { collector: StatsCollector | null; state: CallStatsState } {
  const [running, setRunning] = useState<{ collector: StatsCollector; sharing: StatsSharing } | null>(null);
  useEffect(() => {
    if (!joined) return;
    const collector = new StatsCollector(engine);
    const sharing = new StatsSharing(engine.room);
    const { roomId, name, mode } = engine.getSnapshot();
    // Each sample also goes to a presentation view open in another tab of this browser (projector).
    const presenter = livePublisher(roomId, mode, name);
    const unhook = collector.onSample((sample, roster) => {
      sharing.publish(sample, roster);
      presenter?.post(pointOf(sample));
    });
    sharing.start();
    collector.start();
    setRunning({ collector, sharing });
    return () => {
      unhook();
      presenter?.close();
      collector.stop();
      sharing.stop();
      setRunning(null);
    };
  }, [engine, joined]);
  const collector = running?.collector ?? null;
  const sharing = running?.sharing ?? null;
  const samples = useSyncExternalStore(collector?.subscribe ?? noSubscribe, collector?.getState ?? (() => NO_SAMPLES), () => NO_SAMPLES);
  const shared = useSyncExternalStore(sharing?.subscribe ?? noSubscribe, sharing?.getState ?? (() => NO_SHARING), () => NO_SHARING);
  return { collector, state: { ...samples, ...shared } };
}
