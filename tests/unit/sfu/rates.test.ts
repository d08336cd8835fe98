// Per-room rates against a real mediasoup worker: however many callers ask, each transport's
// getStats runs once per interval; each peer's transports are summed; metrics totals come from the
// same measurement; a room's measurement does not outlive the room.
import type { types } from 'mediasoup';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { MediasoupSfu } from '../../../server/sfu/index';
import { serverRatesSchema } from '../../../signaling/protocol';
import { RATES_MAX_AGE_MS } from '../../../server/sfu/rates';
import { audioRtpParameters, startSfu, videoRtpParameters } from './helpers';

type GetStats = types.WebRtcTransport['getStats'];
let sfu: MediasoupSfu;
let getStats: MockInstance<GetStats>;

/** Transport ids getStats ran on, one entry per call. */
const calledOn = () => getStats.mock.contexts.map((t) => (t as types.WebRtcTransport).id).sort();

beforeEach(async () => {
  sfu = await startSfu();
  // After startSfu: mediasoup must be imported only once its worker path is set.
  const mod = (await import('mediasoup')) as typeof import('mediasoup') & { default?: typeof import('mediasoup') };
  const prototype = (mod.types ?? mod.default!.types).WebRtcTransport.prototype;
  getStats = vi.spyOn(prototype, 'getStats');
});
afterEach(async () => {
  getStats.mockRestore();
  await sfu.close();
});

async function room(roomId: string, peers: Record<string, ('send' | 'recv')[]>): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [peerId, directions] of Object.entries(peers)) {
    await sfu.addPeer(roomId, peerId);
    for (const direction of directions) ids[`${peerId}:${direction}`] = (await sfu.createTransport(peerId, direction)).id;
  }
  return ids;
}

describe('roomRates', () => {
  it('measures each transport once per interval for any number of concurrent and repeated callers', async () => {
    const ids = await room('busy', { alice: ['send', 'recv'], bob: ['send', 'recv'], carol: ['recv'] });
    await room('quiet', { dave: ['send'] });

    const answers = await Promise.all(Array.from({ length: 20 }, () => sfu.roomRates('busy')));
    const again = await sfu.roomRates('busy');
    expect(calledOn()).toEqual(Object.values(ids).sort());
    expect(answers.every((a) => a === answers[0])).toBe(true);
    expect(again).toBe(answers[0]);
    expect(answers[0].map((p) => p.peerId).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(answers[0][0]).toMatchObject({ peerId: expect.any(String), recvBitrate: 0, sendBitrate: 0, bytesReceived: 0, bytesSent: 0, producers: [], consumers: [] });
    // What stats:server answers is what the browser's schema accepts (the cost model's inputs).
    expect(serverRatesSchema.safeParse(answers[0]).success).toBe(true);

    await new Promise((r) => setTimeout(r, RATES_MAX_AGE_MS + 50));
    await Promise.all([sfu.roomRates('busy'), sfu.roomRates('busy'), sfu.roomRates('busy')]);
    expect(getStats).toHaveBeenCalledTimes(2 * Object.keys(ids).length);
  });

  it("sums each peer's send and recv transports, and metrics totals reuse the measurement", async () => {
    const ids = await room('sums', { alice: ['send', 'recv'], bob: ['recv'] });
    await room('other', { carol: ['send'] });
    const fake: Record<string, [recvBitrate: number, sendBitrate: number, bytesReceived: number, bytesSent: number]> = {
      [ids['alice:send']]: [900_000, 4_000, 50_000, 300],
      [ids['alice:recv']]: [2_000, 700_000, 150, 40_000],
      [ids['bob:recv']]: [1_000, 800_000, 100, 60_000],
    };
    getStats.mockImplementation(async function (this: types.WebRtcTransport) {
      const [recvBitrate, sendBitrate, bytesReceived, bytesSent] = fake[this.id] ?? [1, 2, 3, 4];
      return [{ recvBitrate, sendBitrate, bytesReceived, bytesSent }] as Awaited<ReturnType<GetStats>>;
    });

    const rates = await sfu.roomRates('sums');
    const byPeer = Object.fromEntries(rates.map(({ peerId, ...r }) => [peerId, r]));
    expect(byPeer).toMatchObject({
      alice: { recvBitrate: 902_000, sendBitrate: 704_000, bytesReceived: 50_150, bytesSent: 40_300 },
      bob: { recvBitrate: 1_000, sendBitrate: 800_000, bytesReceived: 100, bytesSent: 60_000 },
    });

    expect(await sfu.traffic()).toEqual({ bytesIn: 50_150 + 100 + 3, bytesOut: 40_300 + 60_000 + 4 });
    // 'sums' was measured already: the scrape only added the one transport of 'other'.
    expect(getStats).toHaveBeenCalledTimes(4);
  });

  it("lists each peer's producers per layer and its consumers with whose media they carry", async () => {
    const { routerRtpCapabilities: caps } = await sfu.addPeer('media', 'alice');
    await sfu.addPeer('media', 'bob');
    const sendId = (await sfu.createTransport('alice', 'send')).id;
    await sfu.createTransport('bob', 'recv');
    const { producerId: audioId } = await sfu.produce('alice', { transportId: sendId, kind: 'audio', rtpParameters: audioRtpParameters() });
    const { producerId: videoId } = await sfu.produce('alice', { transportId: sendId, kind: 'video', rtpParameters: videoRtpParameters() });
    const consumer = await sfu.consume('bob', videoId, caps);

    const byPeer = Object.fromEntries((await sfu.roomRates('media')).map((p) => [p.peerId, p]));
    expect(serverRatesSchema.safeParse(Object.values(byPeer)).success).toBe(true);
    expect(byPeer.alice.producers).toEqual([
      { id: audioId, kind: 'audio', source: 'mic', streams: [] },
      { id: videoId, kind: 'video', source: 'camera', streams: [] },
    ]);
    expect(byPeer.alice.at).toEqual(expect.any(Number));
    // Created paused, nothing forwarded yet: no layer, no bytes.
    expect(byPeer.bob.consumers).toEqual([
      { id: consumer.id, producerId: videoId, producerPeerId: 'alice', kind: 'video', rid: null, spatialLayer: null, paused: true, byteCount: 0, packetCount: 0 },
    ]);
  });

  it('answers [] for an unknown room, and a reopened room id is measured afresh', async () => {
    expect(await sfu.roomRates('nowhere')).toEqual([]);
    await room('reused', { alice: ['recv'] });
    expect((await sfu.roomRates('reused')).map((p) => p.peerId)).toEqual(['alice']);
    sfu.closePeer('alice');
    expect(await sfu.roomRates('reused')).toEqual([]);
    await room('reused', { bob: ['recv'] });
    expect((await sfu.roomRates('reused')).map((p) => p.peerId)).toEqual(['bob']);
  });
});
