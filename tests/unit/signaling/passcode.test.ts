// Passcode hashing (salted scrypt, constant-time comparison) and the wrong-passcode limit per address.
import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from '../../../signaling/attempt-limiter';
import { hashPasscode, passcodeMatches } from '../../../signaling/passcode';

describe('passcode hashes', () => {
  it('match the passcode and nothing else, and never hold it', async () => {
    const stored = await hashPasscode('open sesame');
    expect(await passcodeMatches('open sesame', stored)).toBe(true);
    for (const wrong of ['open sesame ', 'Open sesame', 'open', '']) expect(await passcodeMatches(wrong, stored)).toBe(false);
    expect(stored.hash.length).toBe(32);
    expect(stored.hash.toString('utf8')).not.toContain('open sesame');
    expect(stored.salt.toString('utf8')).not.toContain('open sesame');
  });

  it('salt each room apart: the same passcode hashes differently twice', async () => {
    const [a, b] = await Promise.all([hashPasscode('same-code'), hashPasscode('same-code')]);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.hash.equals(b.hash)).toBe(false);
    expect(await passcodeMatches('same-code', b)).toBe(true);
  });
});

describe('wrong-passcode limit', () => {
  function clocked() {
    let now = 1_000_000;
    const limiter = new AttemptLimiter(5, 60_000, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
  }

  it('allows 5 failures a minute per address, then says how long to wait', () => {
    const { limiter, advance } = clocked();
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
      advance(1_000);
    }
    // Failures at t=0..4 s, now t=5 s: the first leaves the window at t=60 s.
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(55_000);
    expect(limiter.retryAfterMs('10.0.0.2')).toBe(0);
    advance(55_000);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
    // One more failure fills the window again until the second-oldest leaves it.
    limiter.recordFailure('10.0.0.1');
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(1_000);
  });

  it('forgets stale addresses when many are tracked', () => {
    let now = 0;
    const limiter = new AttemptLimiter(5, 1_000, () => now, 3);
    for (const address of ['a', 'b', 'c', 'd']) limiter.recordFailure(address);
    now = 2_000;
    limiter.recordFailure('e');
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBe(1);
  });
});
