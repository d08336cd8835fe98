// The reconnect state machine: the paths a call takes when signaling drops and comes back, and
// the events that must not move it (late, duplicated or out-of-order ones).
import { describe, expect, it } from 'vitest';
import { nextPhase, RECONNECT_OPTIONS, type ReconnectEvent, type SignalingPhase } from '../../../app/lib/call/reconnect';

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

describe('RECONNECT_OPTIONS', () => {
  it('bounds the retries and jitters them', () => {
    expect(RECONNECT_OPTIONS.reconnectionAttempts).toBeGreaterThan(0);
    expect(Number.isFinite(RECONNECT_OPTIONS.reconnectionAttempts)).toBe(true);
    expect(RECONNECT_OPTIONS.randomizationFactor).toBeGreaterThan(0);
    expect(RECONNECT_OPTIONS.reconnectionDelayMax).toBeGreaterThanOrEqual(RECONNECT_OPTIONS.reconnectionDelay);
  });
});
