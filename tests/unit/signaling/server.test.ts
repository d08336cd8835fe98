// Signaling against a real Socket.IO server on port 0 with real clients: joins, relaying, bad input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { CLIENT_EVENTS, type JoinReply, type PeerInfo } from '../../../signaling/protocol';
import { nextEvent, record, request, startHarness, type Harness } from '../helpers/signaling-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ MESH_MAX_PEERS: '3', RATE_LIMIT_PER_SEC: '20', RATE_LIMIT_BURST: '40', SFU_ENABLED: '0' });
});
afterEach(async () => h.close());

async function joined(roomId: string, name: string, mode = 'mesh'): Promise<{ socket: Socket; reply: JoinReply }> {
  const socket = await h.client();
  const result = await request<JoinReply>(socket, 'join', { roomId, name, mode });
  if (!result.ok) throw new Error(`join failed: ${result.error.code}`);
  return { socket, reply: result.data };
}

describe('rooms over the wire', () => {
  it('join returns self id and roster; others get roster updates on join, leave and disconnect', async () => {
    const a = await joined('r1', 'Ada');
    expect(a.reply).toMatchObject({ selfId: a.socket.id, mode: 'mesh', peers: [{ id: a.socket.id, name: 'Ada' }] });
    const rosterAtA = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    const b = await joined('r1', 'Bob');
    expect((await rosterAtA).peers.map((p) => p.name)).toEqual(['Ada', 'Bob']);
    const c = await joined('r1', 'Cy');

    const afterLeave = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    expect(await request(b.socket, 'leave', {})).toEqual({ ok: true, data: null });
    expect((await afterLeave).peers.map((p) => p.name)).toEqual(['Ada', 'Cy']);

    // A dropped connection's seat is held for the grace period (shown as reconnecting), then released.
    const held = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    c.socket.io.engine.close();
    expect((await held).peers.map((p) => [p.name, !!p.reconnecting])).toEqual([['Ada', false], ['Cy', true]]);
    expect((await nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster')).peers.map((p) => p.name)).toEqual(['Ada']);
  });

  it('refuses the other mode, a full room, and a second join', async () => {
    await joined('r2', 'A');
    const s = await h.client();
    expect(await request(s, 'join', { roomId: 'r2', name: 'B', mode: 'sfu' })).toMatchObject({
      ok: false,
      error: { code: 'MODE_MISMATCH' },
    });
    // SFU disabled in this harness: a new SFU room is refused and leaves nothing behind.
    expect(await request(s, 'join', { roomId: 'fresh', name: 'B', mode: 'sfu' })).toMatchObject({
      ok: false,
      error: { code: 'SFU_UNAVAILABLE' },
    });
    expect((await h.server.rooms.roster('fresh'))).toEqual([]);
    await joined('r2', 'B');
    await joined('r2', 'C');
    expect(await request(s, 'join', { roomId: 'r2', name: 'D', mode: 'mesh' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_FULL' },
    });
    const d = await joined('r3', 'D');
    expect(await request(d.socket, 'join', { roomId: 'r4', name: 'D', mode: 'mesh' })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_IN_ROOM' },
    });
  });

  it('refreshes ICE credentials only for peers in a room', async () => {
    const a = await joined('ice1', 'A');
    expect(a.reply.iceTtlSeconds).toBeGreaterThan(0);
    expect(await request(a.socket, 'ice:refresh', {})).toMatchObject({ ok: true, data: { iceServers: expect.any(Array) } });
    const outsider = await h.client();
    expect(await request(outsider, 'ice:refresh', {})).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it('media state reaches the others through the roster', async () => {
    const a = await joined('r5', 'A');
    const b = await joined('r5', 'B');
    const update = nextEvent<{ peers: PeerInfo[] }>(b.socket, 'room:roster');
    expect(await request(a.socket, 'media:state', { audio: false, video: true })).toMatchObject({ ok: true });
    expect((await update).peers.find((p) => p.id === a.socket.id)?.media).toEqual({ audio: false, video: true });
  });
});

describe('mesh relaying', () => {
  it('relays to the target with the sender stamped by the server (a description, an ICE restart request)', async () => {
    const a = await joined('m1', 'A');
    const b = await joined('m1', 'B');
    const got = nextEvent(b.socket, 'mesh:signal');
    const offer = { type: 'offer', sdp: 'v=0\r\n' };
    expect(await request(a.socket, 'mesh:signal', { to: b.socket.id, description: offer })).toEqual({ ok: true, data: null });
    expect(await got).toEqual({ from: a.socket.id, description: offer });
    const restart = nextEvent(a.socket, 'mesh:signal');
    expect(await request(b.socket, 'mesh:signal', { to: a.socket.id, restartIce: true })).toEqual({ ok: true, data: null });
    expect(await restart).toEqual({ from: b.socket.id, restartIce: true });
  });

  it('never relays into another room, nor from outside any room', async () => {
    const a = await joined('m2', 'A');
    const other = await joined('m3', 'X');
    const seen = record(other.socket, 'mesh:signal');
    const toOther = await request(a.socket, 'mesh:signal', { to: other.socket.id, candidate: null });
    expect(toOther).toMatchObject({ ok: false, error: { code: 'PEER_NOT_FOUND' } });
    const outsider = await h.client();
    expect(await request(outsider, 'mesh:signal', { to: a.socket.id, candidate: null })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    await request(other.socket, 'media:state', { audio: true, video: true }); // a round trip after the attempts
    expect(seen).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers malformed, unknown and oversized messages with error acks and keeps the call going', async () => {
    const a = await joined('b1', 'A');
    const b = await joined('b1', 'B');
    expect(await request(a.socket, 'join', { roomId: '../etc', name: '', mode: 'mesh' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await request(a.socket, 'mesh:signal', 'not an object')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(a.socket, 'mesh:signal', { to: b.socket.id, from: b.socket.id, candidate: null })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await request(a.socket, 'admin:shutdown', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    const big = { to: b.socket.id, description: { type: 'offer', sdp: 'x'.repeat(100_000) } };
    expect(await request(a.socket, 'mesh:signal', big)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await request(a.socket, 'sfu:produce', { transportId: 't', kind: 'video', rtpParameters: { codecs: [{}] } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });

    // Without an ack callback the refusal still arrives, as a protocol:error event.
    const refusal = nextEvent(a.socket, 'protocol:error');
    a.socket.emit('mesh:signal', { nonsense: true });
    expect(await refusal).toMatchObject({ code: 'BAD_REQUEST', event: 'mesh:signal' });

    // Both are still connected and in the room; the relay still works.
    const got = nextEvent(b.socket, 'mesh:signal');
    expect(await request(a.socket, 'mesh:signal', { to: b.socket.id, candidate: null })).toMatchObject({ ok: true });
    expect(await got).toEqual({ from: a.socket.id, candidate: null });
    expect((await h.server.rooms.roster('b1'))).toHaveLength(2);
  });

  it('has a handler behind every known event: each answers a malformed payload with its own BAD_REQUEST', async () => {
    const s = await h.client();
    expect(CLIENT_EVENTS).toContain('join');
    for (const event of CLIENT_EVENTS) {
      expect([event, await request(s, event, 'not an object')]).toEqual([
        event,
        { ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('payload') } },
      ]);
    }
  });

  it('rate-limits a flood without disturbing the other peer', async () => {
    const a = await joined('f1', 'A');
    const b = await joined('f1', 'B');
    const relayed = record(b.socket, 'mesh:signal');
    const results = await Promise.all(
      Array.from({ length: 120 }, () => request(a.socket, 'mesh:signal', { to: b.socket.id, candidate: null })),
    );
    const limited = results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
    const accepted = results.filter((r) => r.ok).length;
    expect(limited).toBeGreaterThan(0);
    expect(accepted + limited).toBe(120);
    expect(accepted).toBeLessThanOrEqual(40 + 20 * 5); // burst plus at most 5 s of refill
    // b is untouched: it can still talk, and got exactly the accepted messages.
    expect(await request(b.socket, 'media:state', { audio: true, video: false })).toMatchObject({ ok: true });
    expect(relayed.length).toBe(accepted);
  });
});
