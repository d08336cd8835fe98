// The cluster benchmark's maths on recorded readings: rates from two readings, the cascade's
// expected traffic, RTT by pair kind, and when a call was whole again after a node died.
import { describe, expect, it } from 'vitest';
import { crossRatio, expectedCrossKbps, nodeRates, participantsAgainAt, placedOn, rttByPairKind, wholeAgainAt, type RecoveryPoll } from '../../../../../scripts/kit/lib/cluster/cluster-figures';

describe('cluster figures', () => {
  it('turns two readings 10 s apart into CPU % of one core and kbit/s', () => {
    const a = { t: 0, cpuS: 1, egressBytes: 0, pipeOutBytes: 1_000, pipeInBytes: 0 };
    const b = { t: 10_000, cpuS: 2.5, egressBytes: 1_250_000, pipeOutBytes: 626_000, pipeInBytes: 125_000 };
    const r = nodeRates(a, b);
    expect([r.cpuPct!, r.egressKbps, r.pipeOutKbps, r.pipeInKbps].map((v) => Math.round(v * 10) / 10)).toEqual([15, 1000, 500, 100]);
    expect(nodeRates({ ...a, cpuS: null }, b).cpuPct).toBeNull();
  });

  it('expects each stream once toward a node that has receivers, and nothing toward an empty one', () => {
    const uploads = [300, 200, 400, 100];
    expect(expectedCrossKbps(uploads, [0, 1, 0, 1], 0)).toBe(700);
    expect(expectedCrossKbps(uploads, [0, 1, 0, 1], 1)).toBe(300);
    expect(expectedCrossKbps(uploads, [0, 0, 0, 0], 0)).toBe(0);
  });

  it('divides measured by expected inter-node traffic, with no ratio when nothing was expected', () => {
    expect(crossRatio(770, 700)).toBeCloseTo(1.1);
    expect(crossRatio(1400, 700)).toBe(2); // two copies of each stream: the cascade would not be doing its job
    expect(crossRatio(12, 0)).toBeNull();
    expect(crossRatio(Number.NaN, 700)).toBeNull();
  });

  it('splits ping RTTs into same-node and cross-node pairs over every sample, skipping missing ones', () => {
    const pings: Record<number, number | null>[][] = [[{ 1: 2, 2: 1 }, { 1: 2.6, 2: 1.2 }], [{ 0: 2.2, 2: null }], [{ 0: 1.1, 1: 2.4 }], []];
    expect(rttByPairKind(pings, [0, 1, 0, 1])).toEqual({ same: [1, 1.2, 1.1], cross: [2, 2.6, 2.2, 2.4] });
    expect(rttByPairKind([[{ 1: null }], [{}]], [0, 1])).toEqual({ same: [], cross: [] });
  });

  it('places participants where their pages say they are, else where they were sent', () => {
    expect(placedOn([0, 1, 0, 1], ['node-1', 'node-1', null, 'node-9'], ['node-1', 'node-2'])).toEqual([0, 0, 0, 1]);
  });

  const poll = (t: number, back: boolean[], frames: [string, number][][]): RecoveryPoll => ({
    t,
    participants: back.map((b, i) => ({ back: b, from: Object.fromEntries(frames[i].map(([name, n]) => [name, { id: name === 'b' && t >= 2000 ? 'b-new' : name, frames: n }])) })),
  });

  it('finds when everyone is back and decodes everyone again, a rejoined peer counting from its new id', () => {
    const polls = [
      poll(0, [true, false], [[['b', 100]], [['a', 100]]]),
      poll(1000, [true, false], [[['b', 100]], [['a', 100]]]), // b's media stopped with its node
      poll(2000, [true, true], [[['b', 3]], [['a', 101]]]), // b rejoined: a new id, frames from 0 again
      poll(2600, [true, true], [[['b', 20]], [['a', 130]]]),
    ];
    expect(wholeAgainAt(polls, 1, 500)).toBe(2000);
    expect(wholeAgainAt(polls.slice(0, 2), 1, 500)).toBeNull();
    // Someone missing from what a participant decodes is not a whole call.
    expect(wholeAgainAt(polls, 2, 500)).toBeNull();
  });

  it('times each participant on its own: the one that stayed is whole before the one that moved', () => {
    // Four participants decode three others each; p2 (on the killed node) is back at 3000 ms,
    // p1 decodes new frames from everyone again from 1000 ms on except p2, whose new id shows at 3000.
    const row = (t: number, p2Back: boolean, p2Id: string, f: number): RecoveryPoll => ({
      t,
      participants: [
        { back: true, from: { p2: { id: p2Id, frames: p2Back ? f - 2000 : 50 }, p3: { id: 'p3', frames: f }, p4: { id: 'p4', frames: f } } },
        { back: p2Back, from: p2Back ? { p1: { id: 'p1', frames: f }, p3: { id: 'p3', frames: f }, p4: { id: 'p4', frames: f } } : {} },
        { back: true, from: { p1: { id: 'p1', frames: f }, p2: { id: p2Id, frames: p2Back ? f - 2000 : 50 }, p4: { id: 'p4', frames: f } } },
        { back: true, from: { p1: { id: 'p1', frames: f }, p2: { id: p2Id, frames: p2Back ? f - 2000 : 50 }, p3: { id: 'p3', frames: f } } },
      ],
    });
    const polls = [0, 500, 1000, 1500, 2000, 2500, 3000, 3500].map((t) => row(t, t >= 3000, t >= 3000 ? 'p2-new' : 'p2', t + 100));
    expect(participantsAgainAt(polls, 3, 500)).toEqual([3000, 3000, 3000, 3000]);
    // Mesh-like: p2 keeps its id and its frames keep flowing to the others; only p2's own signaling is late.
    const mesh = polls.map((p) => ({ ...p, participants: p.participants.map((q, i) => (i === 1 ? q : { ...q, from: Object.fromEntries(Object.entries(q.from).map(([n, d]) => [n, { id: n, frames: p.t + 100 }])) })) }));
    expect(participantsAgainAt(mesh, 3, 500)).toEqual([500, 3000, 500, 500]);
    expect(wholeAgainAt(mesh, 3, 500)).toBe(3000);
    expect(participantsAgainAt([], 3, 500)).toEqual([]);
  });
});
