// The room summary of a sample and the ping tracker's echo logic (the cost model: cost-model.test.ts).
import { describe, expect, it } from 'vitest';
import { PingTracker } from '../../../app/lib/call/ping';
import { normalize } from '../../../app/lib/stats/normalize';
import { toShare } from '../../../app/lib/stats/share';
import { loadFixture } from './helpers';

describe('room summary of a captured sample', () => {
  it('is what stats:share accepts', async () => {
    const { statsShareSchema } = await import('../../../signaling/protocol');
    const f = loadFixture('sfu-3tabs');
    const first = normalize(f.samples[0].raw, null, { mode: 'sfu', now: f.samples[0].now, roster: f.roster });
    const second = normalize(f.samples[1].raw, first, { mode: 'sfu', now: f.samples[1].now, roster: f.roster, pingRtt: { x: 3 } });
    const share = toShare(second);
    expect(statsShareSchema.safeParse(share).success).toBe(true);
    expect(share).toMatchObject({ connections: 2, pingMs: 3, limitReason: expect.any(String), path: 'host' });
  });

  it('names the path our media takes: distinct local candidate types, relays with their transport', async () => {
    const { pathSummary } = await import('../../../app/lib/stats/share');
    const conn = (localCandidateType: string | null, relayed = false, protocol = 'udp') => ({ localCandidateType, relayed, protocol });
    const sample = (conns: ReturnType<typeof conn>[]) => ({ connectionStats: conns }) as unknown as Parameters<typeof pathSummary>[0];
    expect(pathSummary(sample([conn('srflx'), conn('relay', true, 'tcp'), conn('srflx')]))).toBe('srflx, relay/tcp');
    expect(pathSummary(sample([conn(null)]))).toBeNull();
  });
});

describe('PingTracker', () => {
  it('answers pings addressed to it, ignores others, and times its own pongs', () => {
    const a = new PingTracker(() => 'a');
    const b = new PingTracker(() => 'b');
    const ping = a.ping('b');
    expect(new PingTracker(() => 'c').receive(ping)).toBeNull(); // an SFU channel carries everyone's pings
    const pong = b.receive(ping);
    expect(pong).not.toBeNull();
    expect(a.receive(pong)).toBeNull();
    const rtt = a.snapshot(['b', 'c']);
    expect(rtt.b).toBeGreaterThanOrEqual(0);
    expect(rtt.c).toBeNull();
    a.forget('b');
    expect(a.snapshot(['b']).b).toBeNull();
    expect(a.receive('not json')).toBeNull();
    expect(a.receive({ type: 'pong' })).toBeNull();
  });
});
