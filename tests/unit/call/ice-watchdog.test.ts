// The ICE repair policy on fake timers: immediate repair on 'failed', a grace period for
// 'disconnected', a timeout for connections that never connect, backoff, a bounded count, and
// a success that resets it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IceWatchdog } from '../../../app/lib/call/ice-watchdog';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watch(options = { disconnectedMs: 4000, connectingMs: 10_000, maxRepairs: 3 }) {
  const repairs: string[] = [];
  let gaveUp = false;
  const dog = new IceWatchdog((reason, attempt) => repairs.push(`${reason}#${attempt}`), () => (gaveUp = true), options);
  return { dog, repairs, gaveUp: () => gaveUp };
}

describe('IceWatchdog', () => {
  it('repairs a failed connection at once, in the same turn', () => {
    const { dog, repairs } = watch();
    dog.observe('failed');
    expect(repairs).toEqual(['failed#1']);
    dog.close();
  });

  it('gives a disconnected connection time to come back by itself', async () => {
    const { dog, repairs } = watch();
    dog.observe('disconnected');
    await vi.advanceTimersByTimeAsync(3000);
    dog.observe('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(repairs).toEqual([]);
    dog.observe('disconnected');
    await vi.advanceTimersByTimeAsync(4001);
    expect(repairs).toEqual(['disconnected#1']);
    dog.close();
  });

  it('repairs a connection stuck before connecting, and backs off while it stays broken', async () => {
    const { dog, repairs, gaveUp } = watch();
    dog.observe('new');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(repairs).toEqual(['stuck#1']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(repairs).toEqual(['stuck#1', 'stuck#2']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(repairs).toHaveLength(3);
    expect(gaveUp()).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(repairs).toHaveLength(3);
    expect(gaveUp()).toBe(true);
  });

  it('starts counting again after a success', async () => {
    const { dog, repairs } = watch({ disconnectedMs: 1000, connectingMs: 1000, maxRepairs: 1 });
    dog.observe('failed');
    await vi.advanceTimersByTimeAsync(1);
    dog.observe('connected');
    dog.observe('failed');
    await vi.advanceTimersByTimeAsync(1);
    expect(repairs).toEqual(['failed#1', 'failed#1']);
    dog.close();
  });

  it('does nothing once closed', async () => {
    const { dog, repairs } = watch();
    dog.observe('disconnected');
    dog.close();
    dog.observe('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(repairs).toEqual([]);
  });
});
