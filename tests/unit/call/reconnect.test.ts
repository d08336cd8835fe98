// The reconnect state machine: the paths a call takes when signaling drops and comes back, and
// the events that must not move it (late, duplicated or out-of-order ones).
import { describe, expect, it } from 'vitest';
import { MAX_RECONNECT_ATTEMPTS, nextPhase, reconnectDelay, type ReconnectEvent, type SignalingPhase } from '../../../app/lib/call/reconnect';

const run = (events: ReconnectEvent['type'][], from: SignalingPhase = 'connected') =>
  events.reduce<SignalingPhase[]>((path, type) => [...path, nextPhase(path.at(-1)!, { type } as ReconnectEvent)], [from]);

describe('nextPhase', () => {
  it('resumes the same seat after a blip', () => {
    expect(run(['lost', 'reconnected', 'resumed'])).toEqual(['connected', 'reconnecting', 'resuming', 'connected']);
  });
  it('rejoins when the seat is gone (grace over or server restarted)', () => {
    expect(run(['lost', 'reconnected', 'resume-refused', 'rejoined'])).toEqual([
      'connected', 'reconnecting', 'resuming', 'rejoining', 'connected',
    ]);
  });
  it('goes back to reconnecting when the socket drops again mid-resume or mid-rejoin', () => {
    expect(run(['lost', 'reconnected', 'lost']).at(-1)).toBe('reconnecting');
    expect(run(['lost', 'reconnected', 'resume-refused', 'lost']).at(-1)).toBe('reconnecting');
  });
  it('fails for good when retries run out, and nothing brings it back', () => {
    expect(run(['lost', 'gave-up', 'reconnected', 'resumed']).slice(-3)).toEqual(['failed', 'failed', 'failed']);
  });
  it('ignores events that mean nothing in the current phase', () => {
    expect(run(['resumed', 'rejoined', 'reconnected'])).toEqual(['connected', 'connected', 'connected', 'connected']);
    expect(run(['lost', 'lost', 'resumed'])).toEqual(['connected', 'reconnecting', 'reconnecting', 'reconnecting']);
  });
});

describe('reconnectDelay', () => {
  it('backs off exponentially up to 5 s and jitters by ±50 %', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => reconnectDelay(n, () => 0.5))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(reconnectDelay(3, () => 0)).toBe(1000);
    expect(reconnectDelay(3, () => 0.999)).toBeCloseTo(2998, -1);
  });
  it('is bounded in attempts', () => {
    expect(Number.isFinite(MAX_RECONNECT_ATTEMPTS) && MAX_RECONNECT_ATTEMPTS > 0).toBe(true);
    const total = Array.from({ length: MAX_RECONNECT_ATTEMPTS }, (_, i) => reconnectDelay(i + 1, () => 1)).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(120_000);
  });
});
