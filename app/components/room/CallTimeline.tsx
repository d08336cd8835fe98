'use client';
// The call's timeline for the failure drill: what happened to this call, newest first, with clock
// times. Folded to its newest event so it costs one line above the video grid; opens to the list.
import type { TimelineEvent } from '../../lib/stats/timeline';
import { clockText } from '../../lib/stats/timeline';
import './timeline.css';

export function CallTimeline({ events }: { events: readonly TimelineEvent[] }) {
  const newest = events.at(-1);
  if (!newest) return null;
  return (
    <details className="call-timeline" data-testid="call-timeline" data-count={events.length}>
      <summary>
        <span className="timeline-label">Timeline</span> <time>{clockText(newest.at)}</time> {newest.text}
      </summary>
      <ol>
        {[...events].reverse().map((e, i) => (
          <li key={events.length - i} data-testid="timeline-event" data-kind={e.kind} data-frames={e.frames}>
            <time dateTime={new Date(e.at).toISOString()}>{clockText(e.at)}</time> {e.text}
          </li>
        ))}
      </ol>
    </details>
  );
}
