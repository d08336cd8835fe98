// The collector and the room sharing on a fake engine (no browser in Node): 1 Hz sampling into a
// bounded ring buffer, exports, stopping; sharing summaries through the engine's room channel,
// keeping others' summaries only while they are in the call, polling the server's rates.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallEngine, CallSnapshot, RoomChannel } from '../../../app/lib/call/engine';
import { collectorOf, StatsCollector } from '../../../app/lib/stats/collector';
import { StatsSharing } from '../../../app/lib/stats/sharing';
import type { PeerStatsShare } from '../../../signaling/protocol';
import { meshConnection } from './helpers';

function fakeChannel() {
  let peerListener: ((s: PeerStatsShare) => void) | null = null;
  const request = vi.fn(async (event: string, _payload?: unknown) => (event === 'stats:server' ? [{ peerId: 'b', recvBitrate: 1, sendBitrate: 2, bytesReceived: 3, bytesSent: 4 }] : null));
  const channel = {
    request,
    on: (_event: string, l: (s: PeerStatsShare) => void) => {
      peerListener = l;
      return () => (peerListener = null);
    },
  } as unknown as RoomChannel;
  return { channel, request, emitPeer: (s: PeerStatsShare) => peerListener?.(s), listening: () => peerListener !== null };
}

function fakeEngine() {
  let sent = 0;
  const snapshot = { mode: 'mesh', status: 'joined', peers: [{ id: 'b', name: 'B' }] } as unknown as CallSnapshot;
  const { channel, request, emitPeer } = fakeChannel();
  const engine = {
    getSnapshot: () => snapshot,
    collectRawStats: async () => [meshConnection('b', { sent: (sent += 125_000), received: 0 })],
    pingRtt: () => ({ b: 2.5 }),
    room: channel,
  } as unknown as CallEngine;
  return { engine, snapshot, request, emitPeer };
}

const share = { upKbps: 1, downKbps: 1, videoUpKbps: 1, rttMs: null, pingMs: null, encoders: 1, connections: 1, limitReason: null };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('StatsCollector', () => {
  it('samples at 1 Hz into a bounded buffer, tells sample listeners and exports', async () => {
    const { engine } = fakeEngine();
    const collector = new StatsCollector(engine, { capacity: 3 });
    const seen: number[] = [];
    const rosters: string[][] = [];
    collector.subscribe(() => seen.push(collector.getState().samples.length));
    collector.onSample((_sample, roster) => rosters.push([...roster]));
    collector.start();
    expect(collectorOf(engine)).toBe(collector);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1000);
    const { samples } = collector.getState();
    expect(samples).toHaveLength(3);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(rosters.at(-1)).toEqual(['b']);
    expect(samples.at(-1)!.upload.videoKbps).toBeCloseTo(1000, -1);
    expect(samples.at(-1)!.pingRtt).toEqual({ b: 2.5 });
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

  it('does not sample a call that is not joined', async () => {
    const { engine, snapshot } = fakeEngine();
    (snapshot as { status: string }).status = 'joining';
    const collector = new StatsCollector(engine);
    collector.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(collector.getState().samples).toHaveLength(0);
    collector.stop();
  });
});

describe('StatsSharing', () => {
  it("shares our summaries, keeps others' while they are here, and polls the server's rates", async () => {
    const { engine, request, emitPeer } = fakeEngine();
    const collector = new StatsCollector(engine);
    const sharing = new StatsSharing(engine.room);
    collector.onSample((sample, roster) => sharing.publish(sample, roster));
    sharing.start();
    collector.start();
    emitPeer({ ...share, from: 'b', at: 1 });
    expect(Object.keys(sharing.getState().room)).toEqual(['b']);
    await vi.advanceTimersByTimeAsync(3000);
    const shared = request.mock.calls.filter(([event]) => event === 'stats:share');
    // The first sample has no interval (no rates), so it is not shared; the later ones are.
    expect(shared.length).toBeGreaterThanOrEqual(2);
    expect(shared.at(-1)![1]).toMatchObject({ upKbps: expect.any(Number), encoders: 1, connections: 1 });
    expect(sharing.getState().server).toEqual([{ peerId: 'b', recvBitrate: 1, sendBitrate: 2, bytesReceived: 3, bytesSent: 4 }]);
    const asked = request.mock.calls.filter(([event]) => event === 'stats:server').length;
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThan(shared.length + 1);

    (engine.getSnapshot() as { peers: unknown[] }).peers = [];
    await vi.advanceTimersByTimeAsync(1000);
    expect(sharing.getState().room).toEqual({});
    collector.stop();
    sharing.stop();
  });

  it('stops listening and publishing when stopped', () => {
    const { channel, request, listening } = fakeChannel();
    const sharing = new StatsSharing(channel);
    sharing.start();
    expect(listening()).toBe(true);
    sharing.stop();
    expect(listening()).toBe(false);
    sharing.publish({ upload: { totalKbps: 5 } } as never, []);
    expect(request).not.toHaveBeenCalled();
  });
});
