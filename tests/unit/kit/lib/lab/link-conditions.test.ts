import { describe, expect, it } from 'vitest';
import { describeLink, linkPlan, parseLinkConditions } from '../../../../../scripts/kit/lib/lab/link-conditions';

const host = { ns: 'lab-h1', iface: 'eth0' };
const peer = { ns: 'lab-r1', iface: 'lan0' };
const lines = (steps: { ns: string; argv: string[] }[]) => steps.map((s) => `${s.ns}: ${s.argv.join(' ')}`);

describe('link conditions', () => {
  it('parses the written form, units optional', () => {
    expect(parseLinkConditions('delay=40ms,jitter=5ms,loss=1.5%,rate=2mbit')).toEqual({ delayMs: 40, jitterMs: 5, lossPercent: 1.5, rateKbit: 2000 });
    expect(parseLinkConditions('delay=40, rate=300kbit')).toEqual({ delayMs: 40, rateKbit: 300 });
    expect(parseLinkConditions('')).toEqual({});
  });

  it.each([
    ['delay=40s', /"delay=40s" is not understood/],
    ['latency=40ms', /"latency=40ms" is not understood; write delay=40ms/],
    ['loss=5ms', /"loss=5ms" is not understood/],
    ['delay=10,jitter=20', /jitter 20 ms exceeds the delay \(10 ms\)/],
    ['loss=120%', /over 100%/],
    ['rate=1kbit', /outside 8\.\.10000000/],
    ['delay=9000', /over 5000 ms/],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => parseLinkConditions(text)).toThrow(message);
  });

  it('describes conditions in words', () => {
    expect(describeLink({ delayMs: 40, jitterMs: 5, lossPercent: 1, rateKbit: 2000 })).toBe('40±5 ms each way, 1% loss each way, 2000 kbit/s');
    expect(describeLink({})).toBe('no shaping');
  });

  it('without netem: loss before the delay queue, both directions in the host, rate on both ends', () => {
    const { steps, delayer } = linkPlan({ delayMs: 40, jitterMs: 5, lossPercent: 2, rateKbit: 800 }, host, peer, false, 3);
    expect(lines(steps)).toEqual([
      'lab-h1: iptables -w -A OUTPUT -o eth0 -m statistic --mode random --probability 0.02 -j DROP',
      'lab-h1: iptables -w -A INPUT -i eth0 -m statistic --mode random --probability 0.02 -j DROP',
      'lab-h1: iptables -w -A OUTPUT -o eth0 -j NFQUEUE --queue-num 3 --queue-bypass',
      'lab-h1: iptables -w -A INPUT -i eth0 -j NFQUEUE --queue-num 3 --queue-bypass',
      'lab-h1: tc qdisc add dev eth0 root tbf rate 800kbit burst 1600 latency 200ms',
      'lab-r1: tc qdisc add dev lan0 root tbf rate 800kbit burst 1600 latency 200ms',
    ]);
    expect(delayer?.slice(0, 1)).toEqual(['python3']);
    expect(delayer?.[1]).toMatch(/scripts\/kit\/lib\/lab\/delay-queue\.py$/);
    expect(delayer?.slice(2)).toEqual(['--queue', '3', '--delay-ms', '40', '--jitter-ms', '5']);
  });

  it('with netem: one qdisc on each end, no queue holder', () => {
    const { steps, delayer } = linkPlan({ delayMs: 40, jitterMs: 5, lossPercent: 1 }, host, peer, true);
    expect(lines(steps)).toEqual(['lab-h1: tc qdisc add dev eth0 root netem delay 40ms 5ms loss 1%', 'lab-r1: tc qdisc add dev lan0 root netem delay 40ms 5ms loss 1%']);
    expect(delayer).toBeNull();
    expect(linkPlan({}, host, peer, true)).toEqual({ steps: [], delayer: null });
    expect(linkPlan({}, host, peer, false)).toEqual({ steps: [], delayer: null });
  });
});
