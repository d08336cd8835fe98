// SFU requests over real Socket.IO with a real mediasoup worker: validation, unknown ids, wrong
// rooms, producer announcements, and a peer's bad requests leaving the others' call alone.
import { describe, expect, it } from 'vitest';
import type { TransportOptions } from '../../../signaling/protocol';
import type { JoinReply, PeerInfo } from '../../../signaling/protocol';
import { videoRtpParameters, waitUntil } from '../sfu/helpers';
import { joinAs, nextEvent, record, request } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const rig = useSfuHarness();

const joinSfu = (roomId: string, name: string) => joinAs(rig.h, { roomId, name, mode: 'sfu' });

describe('SFU signaling', () => {
  it('gives router capabilities on join and transports on request', async () => {
    const a = await joinSfu('s1', 'A');
    expect(a.reply.routerRtpCapabilities).toMatchObject({ codecs: expect.arrayContaining([expect.objectContaining({ mimeType: 'video/VP8' })]) });
    const t = await request<TransportOptions>(a.socket, 'sfu:createTransport', { direction: 'send' });
    expect(t).toMatchObject({ ok: true, data: { id: expect.any(String), iceCandidates: expect.any(Array) } });
  });

  it('refuses malformed produce and unknown ids with error acks; the other peer is unaffected', async () => {
    const a = await joinSfu('s2', 'A');
    const b = await joinSfu('s2', 'B');
    const send = await request<TransportOptions>(a.socket, 'sfu:createTransport', { direction: 'send' });
    if (!send.ok) throw new Error('no transport');

    expect(
      await request(a.socket, 'sfu:produce', { transportId: send.data.id, kind: 'video', rtpParameters: { codecs: [{ mimeType: 42 }] } }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(a.socket, 'sfu:produce', { transportId: send.data.id, kind: 'video' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await request(a.socket, 'sfu:produce', { transportId: 'no-such-transport', kind: 'video', rtpParameters: videoRtpParameters() }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-transport') } });
    expect(
      await request(a.socket, 'sfu:consume', { producerId: 'no-such-producer', rtpCapabilities: a.reply.routerRtpCapabilities }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-producer') } });
    expect(await request(a.socket, 'sfu:resumeConsumer', { consumerId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    // A valid producer is announced to B (and only B), and B can consume it.
    const announced = nextEvent<{ producerId: string; peerId: string; kind: string }>(b.socket, 'sfu:newProducer');
    const produced = await request<{ producerId: string }>(a.socket, 'sfu:produce', {
      transportId: send.data.id,
      kind: 'video',
      rtpParameters: videoRtpParameters(),
    });
    expect(produced.ok).toBe(true);
    const info = await announced;
    expect(info).toMatchObject({ peerId: a.socket.id, kind: 'video' });
    const recv = await request<TransportOptions>(b.socket, 'sfu:createTransport', { direction: 'recv' });
    expect(recv.ok).toBe(true);
    const consumed = await request(b.socket, 'sfu:consume', { producerId: info.producerId, rtpCapabilities: b.reply.routerRtpCapabilities });
    expect(consumed).toMatchObject({ ok: true, data: { producerId: info.producerId, peerId: a.socket.id, kind: 'video' } });

    // A leaving closes its producer; B hears about it.
    const closed = nextEvent<{ producerId: string }>(b.socket, 'sfu:producerClosed');
    a.socket.disconnect();
    expect((await closed).producerId).toBe(info.producerId);
  });

  it('refuses SFU requests from peers in a mesh room or in no room', async () => {
    const outsider = await rig.h.client();
    expect(await request(outsider, 'sfu:createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    const meshPeer = await rig.h.client();
    expect((await request(meshPeer, 'join', { roomId: 'm1', name: 'M', mode: 'mesh' })).ok).toBe(true);
    expect(await request(meshPeer, 'sfu:listProducers', {})).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

describe('a room whose mediasoup worker dies (last: it kills one of the file\'s workers)', () => {
  it("tells each peer to rejoin, sends none of them the others' leave rosters (they list its old seat, under the id it rejoins with), and the rejoined see each other", async () => {
    const names = ['A', 'B', 'C'];
    const peers = [];
    for (const name of names) peers.push(await joinSfu('reset-1', name));
    const worker = rig.sfu.workerOf('reset-1');
    expect(worker).not.toBeNull();
    const resets = peers.map((p) => nextEvent<{ reason: string }>(p.socket, 'sfu:reset'));
    const rosters = peers.map((p) => record<{ peers: PeerInfo[] }>(p.socket, 'room:roster'));

    process.kill(worker!.pid, 'SIGKILL');
    for (const reset of resets) expect((await reset).reason).toMatch(/died/);
    // One round trip each after the resets: whatever the reset sent has arrived. They are out.
    for (const p of peers) expect(await request(p.socket, 'sfu:listProducers', {})).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(rosters.map((r) => r.length)).toEqual([0, 0, 0]);

    // Back on the same sockets, one after the other, once the replacement worker runs.
    await waitUntil(() => rig.sfu.unavailableReason() === null, 10_000);
    for (const [i, p] of peers.entries()) {
      const again = await request<JoinReply>(p.socket, 'join', { roomId: 'reset-1', name: names[i], mode: 'sfu' });
      expect(again).toMatchObject({ ok: true, data: { selfId: p.reply.selfId } });
      if (again.ok) expect(again.data.peers.map((x) => x.name)).toEqual(names.slice(0, i + 1));
    }
    // The first learns of the other two from roster pushes, the second of the third.
    await waitUntil(() => rosters[0].length === 2 && rosters[1].length === 1);
    expect(rosters.map((r) => r.map((push) => push.peers.map((x) => x.name)))).toEqual([[['A', 'B'], ['A', 'B', 'C']], [['A', 'B', 'C']], []]);
  });
});
