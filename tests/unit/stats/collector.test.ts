// The collector on a fake engine: 1 Hz sampling into a bounded ring buffer, sharing summaries,
// keeping others' summaries only while they are in the call, exports, and stopping.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallEngine, CallSnapshot } from '../../../app/lib/call/engine';
import { collectorOf, StatsCollector } from '../../../app/lib/stats/collector';
import type { PeerStatsShare } from '../../../signaling/protocol';
import { meshConnection } from './helpers';

function fakeEngine() {
  let sent = 0;
  let peerListener: ((s: PeerStatsShare) => void) | null = null;
  const snapshot = { mode: 'mesh', status: 'joined', peers: [{ id: 'b', name: 'B' }] } as unknown as CallSnapshot;
  const engine = {
    getSnapshot: () => snapshot,
    collectRawStats: async () => [meshConnection('b', { sent: (sent += 125_000), received: 0 })],
    pingRtt: () => ({ b: 2.5 }),
    shareStats: vi.fn(),
    serverRates: vi.fn(async () => []),
    onPeerStats: (l: (s: PeerStatsShare) => void) => {
      peerListener = l;
      return () => (peerListener = null);
    },
  } as unknown as CallEngine & { shareStats: ReturnType<typeof vi.fn> };
  return { engine, snapshot, emitPeer: (s: PeerStatsShare) => peerListener?.(s) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('StatsCollector', () => {
  it('samples at 1 Hz into a bounded buffer, shares summaries and exports', async () => {
    const { engine } = fakeEngine();
    const collector = new StatsCollector(engine, { capacity: 3 });
    const seen: number[] = [];
    collector.subscribe(() => seen.push(collector.getState().samples.length));
    collector.start();
    expect(collectorOf(engine)).toBe(collector);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1000);
    const { samples } = collector.getState();
    expect(samples).toHaveLength(3);
    expect(samples.at(-1)!.upload.videoKbps).toBeCloseTo(1000, -1);
    expect(samples.at(-1)!.pingRtt).toEqual({ b: 2.5 });
    expect(engine.shareStats).toHaveBeenCalled();
    expect(JSON.parse(collector.toJSON())[0].counters).toBeUndefined();
    const csv = collector.toCSV().trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toContain('up_video_kbps');
    collector.stop();
    expect(collectorOf(engine)).toBeNull();
    const count = collector.getState().samples.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(collector.getState().samples.length).toBe(count);
  });

  it("keeps others' summaries while they are in the call", async () => {
    const { engine, snapshot, emitPeer } = fakeEngine();
    const collector = new StatsCollector(engine);
    collector.start();
    const share = { upKbps: 1, downKbps: 1, videoUpKbps: 1, rttMs: null, pingMs: null, encoders: 1, connections: 1, limitReason: null };
    emitPeer({ ...share, from: 'b', at: 1 });
    expect(Object.keys(collector.getState().room)).toEqual(['b']);
    (snapshot as { peers: unknown[] }).peers = [];
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.getState().room).toEqual({});
    collector.stop();
  });
});
