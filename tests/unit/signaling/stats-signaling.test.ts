// Live-stats signaling over real Socket.IO: stats:share relayed as stats:peer with the sender
// stamped by the server, validation and rate limits, stats:server against a real mediasoup worker,
// and the SFU ping channel's data producers (sfu:produceData / sfu:consumeData).
import { describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { PeerStatsShare, ServerPeerRates, StatsShare, TransportOptions } from '../../../signaling/protocol';
import { nextEvent, record, request, startHarness } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const summary: StatsShare = {
  upKbps: 1200.5,
  downKbps: 900,
  videoUpKbps: 1150,
  rttMs: 1.2,
  pingMs: 3.4,
  encoders: 2,
  connections: 2,
  limitReason: 'none',
};

const rig = useSfuHarness();

async function joined(roomId: string, name: string, mode: 'mesh' | 'sfu', harness = rig.h): Promise<Socket> {
  const socket = await harness.client();
  const result = await request(socket, 'join', { roomId, name, mode });
  if (!result.ok) throw new Error(`join failed: ${result.error.code}`);
  return socket;
}

describe('stats:share', () => {
  it('relays a summary to the rest of the room only, stamped with the sender and a time', async () => {
    const a = await joined('st1', 'A', 'mesh');
    const b = await joined('st1', 'B', 'mesh');
    const elsewhere = await joined('st1-other', 'C', 'mesh');
    const seenByA = record(a, 'stats:peer');
    const seenElsewhere = record(elsewhere, 'stats:peer');
    const arrived = nextEvent<PeerStatsShare>(b, 'stats:peer');
    expect(await request(a, 'stats:share', summary)).toEqual({ ok: true, data: null });
    const got = await arrived;
    expect(got).toMatchObject({ ...summary, from: a.id });
    expect(got.at).toBeGreaterThan(Date.now() - 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(seenByA).toHaveLength(0);
    expect(seenElsewhere).toHaveLength(0);
  });

  it('refuses malformed summaries, a claimed sender, and peers outside a room', async () => {
    const a = await joined('st2', 'A', 'mesh');
    expect(await request(a, 'stats:share', { ...summary, upKbps: -5 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(a, 'stats:share', { ...summary, upKbps: 'fast' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(a, 'stats:share', { ...summary, from: 'someone-else' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const { encoders: _encoders, ...missing } = summary;
    expect(await request(a, 'stats:share', missing)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const outsider = await rig.h.client();
    expect(await request(outsider, 'stats:share', summary)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await request(outsider, 'stats:server', {})).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it('is rate limited like every other message', async () => {
    const limited = await startHarness({ RATE_LIMIT_PER_SEC: '1', RATE_LIMIT_BURST: '3' });
    try {
      const a = await joined('st3', 'A', 'mesh', limited); // join takes one token
      const results = await Promise.all([1, 2, 3, 4].map(() => request(a, 'stats:share', summary)));
      expect(results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});

describe('stats:server', () => {
  it('is an empty list in a mesh room', async () => {
    const a = await joined('st4', 'A', 'mesh');
    expect(await request(a, 'stats:server', {})).toEqual({ ok: true, data: [] });
  });

  it("returns mediasoup's per-peer rates of the caller's SFU room only", async () => {
    const a = await joined('st5', 'A', 'sfu');
    const b = await joined('st5', 'B', 'sfu');
    const other = await joined('st5-other', 'C', 'sfu');
    for (const s of [a, b, other]) expect((await request(s, 'sfu:createTransport', { direction: 'recv' })).ok).toBe(true);
    const result = await request<ServerPeerRates[]>(a, 'stats:server', {});
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.map((p) => p.peerId).sort()).toEqual([a.id, b.id].sort());
    for (const p of result.data) {
      expect(p).toMatchObject({ recvBitrate: expect.any(Number), sendBitrate: expect.any(Number), bytesSent: expect.any(Number) });
    }
  });
  it('answers a whole room asking at once from one getStats per transport', async () => {
    const sockets = await Promise.all(['A', 'B', 'C', 'D'].map((name) => joined('st7', name, 'sfu')));
    for (const s of sockets) expect((await request(s, 'sfu:createTransport', { direction: 'recv' })).ok).toBe(true);
    const mediasoup = await import('mediasoup');
    const getStats = vi.spyOn((mediasoup.types ?? mediasoup.default.types).WebRtcTransport.prototype, 'getStats');
    try {
      const results = await Promise.all(sockets.map((s) => request<ServerPeerRates[]>(s, 'stats:server', {})));
      for (const r of results) expect(r).toMatchObject({ ok: true, data: expect.arrayContaining([expect.objectContaining({ peerId: sockets[0].id })]) });
      expect(getStats).toHaveBeenCalledTimes(sockets.length);
    } finally {
      getStats.mockRestore();
    }
  });
});

describe('SFU ping channel (data producers)', () => {
  it('announces a data producer to the others, who can consume it; bad requests get error acks', async () => {
    const a = await joined('st6', 'A', 'sfu');
    const b = await joined('st6', 'B', 'sfu');
    const send = await request<TransportOptions>(a, 'sfu:createTransport', { direction: 'send' });
    const recv = await request<TransportOptions>(b, 'sfu:createTransport', { direction: 'recv' });
    if (!send.ok || !recv.ok) throw new Error('no transports');
    expect(send.data.sctpParameters).toBeTruthy();

    expect(await request(a, 'sfu:produceData', { transportId: send.data.id })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(a, 'sfu:produceData', { transportId: 'nope', sctpStreamParameters: { streamId: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('nope') },
    });

    const announced = nextEvent<{ dataProducerId: string; peerId: string }>(b, 'sfu:newDataProducer');
    const produced = await request<{ dataProducerId: string }>(a, 'sfu:produceData', {
      transportId: send.data.id,
      sctpStreamParameters: { streamId: 1, ordered: false, maxRetransmits: 0 },
      label: 'ping',
    });
    if (!produced.ok) throw new Error(produced.error.message);
    const info = await announced;
    expect(info).toEqual({ dataProducerId: produced.data.dataProducerId, peerId: a.id });
    expect(await request(b, 'sfu:listDataProducers', {})).toEqual({ ok: true, data: [info] });

    const consumed = await request(b, 'sfu:consumeData', { dataProducerId: info.dataProducerId });
    expect(consumed).toMatchObject({
      ok: true,
      data: { dataProducerId: info.dataProducerId, peerId: a.id, label: 'ping', sctpStreamParameters: { streamId: expect.any(Number) } },
    });
    expect(await request(a, 'sfu:consumeData', { dataProducerId: info.dataProducerId })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(b, 'sfu:consumeData', { dataProducerId: 'missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
