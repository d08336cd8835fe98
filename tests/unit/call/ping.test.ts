// PingTracker: the ping/pong echo between two trackers, what it refuses, and when an RTT goes stale.
// Mocked: performance.now() is a hand-moved clock, so round trips and the 5 s staleness are exact.
// Nothing else is mocked; the messages are handed from one tracker to the other directly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PingTracker, type PingMessage } from '../../../app/lib/call/ping';

let clock = 0;
beforeEach(() => {
  clock = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
});
afterEach(() => vi.restoreAllMocks());

/** One full round trip from a to b taking `ms`; returns what b answered. */
function roundTrip(a: PingTracker, b: PingTracker, to: string, ms: number): string | null {
  const ping = a.ping(to);
  clock += ms / 2;
  const pong = b.receive(ping);
  clock += ms / 2;
  if (pong !== null) expect(a.receive(pong)).toBeNull(); // a pong is never answered
  return pong;
}

const message = (m: Partial<PingMessage> & Record<string, unknown>) => JSON.stringify({ type: 'ping', from: 'b', to: 'a', t: 1, ...m });

describe('PingTracker', () => {
  it('measures the round trip on the pinger clock only; the echo swaps from/to and keeps t', () => {
    const a = new PingTracker(() => 'a');
    const b = new PingTracker(() => 'b');
    const ping = a.ping('b');
    expect(JSON.parse(ping)).toEqual({ type: 'ping', from: 'a', to: 'b', t: 1_000 });
    clock = 1_020;
    const pong = b.receive(ping);
    expect(JSON.parse(pong!)).toEqual({ type: 'pong', from: 'b', to: 'a', t: 1_000 });
    clock = 1_042.37;
    expect(a.receive(pong)).toBeNull();
    expect(a.snapshot(['b'])).toEqual({ b: 42.4 }); // rounded to 0.1 ms
    expect(b.snapshot(['a'])).toEqual({ a: null }); // answering a ping measures nothing
  });

  it('keeps the latest RTT per peer', () => {
    const a = new PingTracker(() => 'a');
    const b = new PingTracker(() => 'b');
    const c = new PingTracker(() => 'c');
    roundTrip(a, b, 'b', 30);
    roundTrip(a, c, 'c', 8);
    roundTrip(a, b, 'b', 12);
    expect(a.snapshot(['b', 'c', 'nobody'])).toEqual({ b: 12, c: 8, nobody: null });
  });

  it('ignores pings and pongs addressed to someone else (an SFU channel carries everyone\'s)', () => {
    const a = new PingTracker(() => 'a');
    const c = new PingTracker(() => 'c');
    expect(c.receive(a.ping('b'))).toBeNull();
    expect(a.receive(message({ type: 'pong', from: 'b', to: 'c', t: 900 }))).toBeNull();
    expect(a.snapshot(['b'])).toEqual({ b: null });
  });

  it('reads its own id at each message, so a new id after a rejoin applies at once', () => {
    let self = 'old';
    const a = new PingTracker(() => self);
    const b = new PingTracker(() => 'b');
    const ping = a.ping('b');
    const pong = b.receive(ping)!;
    self = 'new';
    expect(a.receive(pong)).toBeNull();
    expect(a.snapshot(['b'])).toEqual({ b: null }); // the pong was for the old identity
    expect(JSON.parse(a.ping('b')).from).toBe('new');
  });

  it.each([
    ['a non-string', { type: 'ping', from: 'b', to: 'a', t: 1 }],
    ['binary data', new ArrayBuffer(8)],
    ['null', null],
    ['invalid JSON', '{"type":"ping",'],
    ['JSON null', 'null'],
    ['an unknown type', message({ type: 'hello' as PingMessage['type'] })],
    ['a missing from', JSON.stringify({ type: 'ping', to: 'a', t: 1 })],
    ['a numeric to', message({ to: 7 as unknown as string })],
    ['a string t', message({ t: '1' as unknown as number })],
    ['a missing t', JSON.stringify({ type: 'ping', from: 'b', to: 'a' })],
    ['more than 512 characters', message({ pad: 'x'.repeat(512) })],
  ])('ignores %s', (_, data) => {
    const a = new PingTracker(() => 'a');
    expect(a.receive(data)).toBeNull();
    expect(a.receive(typeof data === 'string' ? data.replace('"ping"', '"pong"') : data)).toBeNull();
    expect(a.snapshot(['b'])).toEqual({ b: null });
  });

  it('accepts a message of exactly 512 characters (the limit is inclusive)', () => {
    const a = new PingTracker(() => 'a');
    const base = message({ pad: '' });
    const exact = message({ pad: 'x'.repeat(512 - base.length) });
    expect(exact).toHaveLength(512);
    expect(a.receive(exact)).not.toBeNull();
  });

  it('drops a pong whose timestamp lies in the future (negative RTT)', () => {
    const a = new PingTracker(() => 'a');
    expect(a.receive(message({ type: 'pong', from: 'b', to: 'a', t: clock + 5 }))).toBeNull();
    expect(a.snapshot(['b'])).toEqual({ b: null });
    a.receive(message({ type: 'pong', from: 'b', to: 'a', t: clock }));
    expect(a.snapshot(['b'])).toEqual({ b: 0 }); // zero is a measurement
  });

  it('reports an RTT as null once no pong arrived for 5 s', () => {
    const a = new PingTracker(() => 'a');
    const b = new PingTracker(() => 'b');
    roundTrip(a, b, 'b', 25);
    clock += 4_999;
    expect(a.snapshot(['b'])).toEqual({ b: 25 });
    clock += 1;
    expect(a.snapshot(['b'])).toEqual({ b: null });
    roundTrip(a, b, 'b', 40); // a fresh pong revives it
    expect(a.snapshot(['b'])).toEqual({ b: 40 });
  });

  it('forget() drops one peer and leaves the others', () => {
    const a = new PingTracker(() => 'a');
    roundTrip(a, new PingTracker(() => 'b'), 'b', 10);
    roundTrip(a, new PingTracker(() => 'c'), 'c', 20);
    a.forget('b');
    a.forget('never-seen');
    expect(a.snapshot(['b', 'c'])).toEqual({ b: null, c: 20 });
  });
});
