// The active-speaker tracker on a fake engine: the SFU's pushes (checked against the schema) win
// while fresh, our receivers' levels decide otherwise, and the hold runs out by itself.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallEngine, RawConnectionStats } from '../../../app/lib/call/engine';
import { SpeakerTracker, speakerTrackerOf } from '../../../app/lib/media/speaker-tracker';

function fakeEngine(selfId = 'me') {
  const listeners = new Map<string, (payload: unknown) => void>();
  const engine = {
    getSnapshot: () => ({ selfId }),
    room: {
      on: (event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    },
  } as unknown as CallEngine;
  return { engine, push: (payload: unknown) => listeners.get('sfu:activeSpeaker')?.(payload), listeners };
}

/** One mesh connection per peer whose inbound audio ran at `level` for the last second (t seconds in). */
function reports(t: number, levels: Record<string, number>, self = 0): RawConnectionStats[] {
  return Object.entries(levels).map(([peerId, level]) => ({
    id: `pc-${peerId}`, role: 'peer', peerId, state: 'connected', sending: true,
    stats: [
      { id: 'in', type: 'inbound-rtp', kind: 'audio', totalAudioEnergy: level * level * t, totalSamplesDuration: t },
      { id: 'src', type: 'media-source', kind: 'audio', totalAudioEnergy: self * self * t, totalSamplesDuration: t },
    ],
  }));
}

describe('SpeakerTracker', () => {
  beforeEach(() => vi.useFakeTimers({ now: 100_000 }));
  afterEach(() => vi.useRealTimers());

  it('follows the SFU, ignores malformed pushes, and drops a speaker the SFU stopped reporting', () => {
    const { engine, push, listeners } = fakeEngine();
    const tracker = new SpeakerTracker(engine);
    const detach = tracker.attach();
    expect(speakerTrackerOf(engine)).toBe(tracker);
    const changes = vi.fn();
    tracker.subscribe(changes);
    push({ peerId: 'a', volume: -20 });
    expect(tracker.getState()).toEqual({ peerId: 'a', source: 'sfu' });
    push({ peerId: 'b', volume: 5 }); // out of range
    push({ peerId: 'b', volume: -20, from: 'x' }); // unknown field
    push('b');
    expect(tracker.getState()).toEqual({ peerId: 'a', source: 'sfu' });
    push({ peerId: 'b', volume: -25 });
    expect(tracker.getState().peerId).toBe('b');
    push({ peerId: null, volume: null });
    expect(tracker.getState().peerId).toBe('b'); // held through a short pause
    vi.advanceTimersByTime(2_100);
    expect(tracker.getState()).toEqual({ peerId: null, source: null });
    expect(changes).toHaveBeenCalledTimes(3);
    detach();
    expect(listeners.size).toBe(0);
    expect(speakerTrackerOf(engine)).toBeNull();
  });

  it('decides from the receivers when the SFU says nothing, ourselves included', () => {
    const { engine } = fakeEngine('me');
    const tracker = new SpeakerTracker(engine);
    tracker.attach();
    tracker.onReports(reports(1, { a: 0, b: 0 }));
    tracker.onReports(reports(2, { a: 0.001, b: 0.2 }));
    expect(tracker.getState()).toEqual({ peerId: 'b', source: 'receivers' });
    vi.advanceTimersByTime(3_000);
    expect(tracker.getState().peerId).toBeNull();
    tracker.onReports(reports(3, { a: 0, b: 0 }, 0.3));
    expect(tracker.getState()).toEqual({ peerId: 'me', source: 'receivers' });
  });

  it('lets a fresh SFU judgement win over the receivers', () => {
    const { engine, push } = fakeEngine();
    const tracker = new SpeakerTracker(engine);
    tracker.attach();
    tracker.onReports(reports(1, { a: 0, b: 0 }));
    push({ peerId: 'a', volume: -30 });
    tracker.onReports(reports(2, { a: 0, b: 0.5 }));
    expect(tracker.getState()).toEqual({ peerId: 'a', source: 'sfu' });
    // Long after the SFU's last word (an auto room back on mesh), the receivers decide again.
    vi.advanceTimersByTime(6_000);
    tracker.onReports(reports(8, { a: 0, b: 0.5 }));
    expect(tracker.getState()).toEqual({ peerId: 'b', source: 'receivers' });
  });
});
