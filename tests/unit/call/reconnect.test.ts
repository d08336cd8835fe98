// The reconnect state machine: the paths a call takes when signaling drops and comes back, and
// the events that must not move it (late, duplicated or out-of-order ones).
import { describe, expect, it } from 'vitest';
import { MAX_RECONNECT_ATTEMPTS, MAX_RECONNECT_DELAY_MS, nextPhase, reconnectDelay, type ReconnectEvent, type SignalingPhase } from '../../../app/lib/call/reconnect';

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
  it('backs off exponentially up to 3 s and jitters by ±25 %', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => reconnectDelay(n, () => 0.5))).toEqual([500, 1000, 2000, 3000, 3000, 3000]);
    expect(reconnectDelay(3, () => 0)).toBe(1500);
    expect(reconnectDelay(3, () => 0.999)).toBeCloseTo(2499, -1);
  });
  it('never waits longer than MAX_RECONNECT_DELAY_MS, so a 15 s outage resumes within a 20 s grace period', () => {
    const worst = Math.max(...Array.from({ length: 30 }, (_, i) => reconnectDelay(i + 1, () => 0.99999)));
    expect(worst).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS);
    expect(15_000 + MAX_RECONNECT_DELAY_MS).toBeLessThan(20_000);
  });
  it('is bounded in attempts: about a minute of trying in all', () => {
    const total = (r: number) => Array.from({ length: MAX_RECONNECT_ATTEMPTS }, (_, i) => reconnectDelay(i + 1, () => r)).reduce((a, b) => a + b, 0);
    expect(total(0)).toBeGreaterThan(40_000);
    expect(total(0.99999)).toBeLessThan(70_000);
  });
});
