// Runs the call's active-speaker tracker (app/lib/media/speaker-tracker.ts) for as long as the call
// view shows an engine, fed by the room's pushes and the stats collector's reports.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { CallEngine } from '../call/engine';
import { SpeakerTracker, type ActiveSpeakerState } from '../media/speaker-tracker';
import type { StatsCollector } from '../stats/collector';

export function useActiveSpeaker(engine: CallEngine, collector: StatsCollector | null): ActiveSpeakerState {
  const tracker = useMemo(() => new SpeakerTracker(engine), [engine]);
  useEffect(() => tracker.attach(), [tracker]);
  useEffect(() => {
    if (!collector) return;
    return collector.onSample((_sample, _roster, raw) => tracker.onReports(raw));
  }, [tracker, collector]);
  return useSyncExternalStore(tracker.subscribe, tracker.getState, tracker.getState);
}
