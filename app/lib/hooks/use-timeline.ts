// Runs the call's timeline (app/lib/stats/timeline.ts) for as long as the call view shows an
// engine: it follows the engine's snapshots and the stats collector's samples, which come and go
// with each (re)join while the timeline stays.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { CallEngine } from '../call/engine';
import type { StatsCollector } from '../stats/collector';
import { CallTimeline, type TimelineEvent } from '../stats/timeline';

export function useCallTimeline(engine: CallEngine, collector: StatsCollector | null): readonly TimelineEvent[] {
  const timeline = useMemo(() => new CallTimeline(), [engine]);
  useEffect(() => timeline.attach(engine), [timeline, engine]);
  useEffect(() => {
    if (!collector) return;
    return collector.onSample((sample) => timeline.addSample(sample));
  }, [timeline, collector]);
  return useSyncExternalStore(timeline.subscribe, timeline.getEvents, timeline.getEvents);
}
