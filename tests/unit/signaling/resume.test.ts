// Reconnecting: resume tokens on their own (signed, room-bound, expiring), and over the wire with a
// real Socket.IO server: a dropped socket's seat is held and shown as reconnecting, a resume within
// the grace period keeps the peer id and receives what is addressed to it, and bad tokens, other
// rooms' tokens and released seats are refused with RESUME_REFUSED.
import type { Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../../../signaling/errors';
import type { JoinReply, PeerInfo } from '../../../signaling/protocol';
import { signResumeToken, verifyResumeToken } from '../../../signaling/resume-token';
import { nextEvent, request, startHarness, type Harness } from '../helpers/signaling-harness';

const SECRET = 'a-test-secret-of-some-length';

const SEAT = { roomId: 'room-a', peerId: 'peer-1', mode: 'mesh' as const, name: 'Ada', bootId: 'boot-1' };

describe('resume tokens', () => {
  const token = signResumeToken(SECRET, SEAT, 60_000, 1_000);
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof ServerError ? `${err.code}: ${err.message}` : String(err);
    }
    return 'accepted';
  };

  it('gives back the seat (peer id, mode, name, signing process) for its room before it expires', () => {
    expect(verifyResumeToken(SECRET, token, 'room-a', 2_000)).toEqual(SEAT);
  });
  it('refuses another room, an expired token, a forged or malformed one, and another secret', () => {
    expect(refusal(() => verifyResumeToken(SECRET, token, 'room-b', 2_000))).toMatch(/RESUME_REFUSED: .*another room/);
    expect(refusal(() => verifyResumeToken(SECRET, token, 'room-a', 61_001))).toMatch(/RESUME_REFUSED: .*expired/);
    const [body] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, p: 'peer-2' })).toString('base64url')}.${token.split('.')[1]}`;
    for (const bad of [forged, 'nonsense', `${token}.x`, '']) {
      expect(refusal(() => verifyResumeToken(SECRET, bad, 'room-a', 2_000))).toMatch(/RESUME_REFUSED: .*not one this server signed/);
    }
    expect(refusal(() => verifyResumeToken('another-secret-entirely', token, 'room-a', 2_000))).toMatch(/RESUME_REFUSED/);
  });
});

/** What a network blip does: the transport closes without the client saying goodbye. */
const dropConnection = (socket: Socket) => socket.io.engine.close();

describe('resuming a seat over the wire', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ SFU_ENABLED: '0', RESUME_GRACE_SEC: '1' });
  });
  afterEach(async () => h.close());

  async function joined(roomId: string, name: string): Promise<{ socket: Socket; reply: JoinReply }> {
    const socket = await h.client();
    const result = await request<JoinReply>(socket, 'join', { roomId, name, mode: 'mesh' });
    if (!result.ok) throw new Error(`join failed: ${result.error.code}`);
    return { socket, reply: result.data };
  }

  it('holds the seat while reconnecting, then resumes the same peer id with a fresh roster', async () => {
    const a = await joined('r1', 'Ada');
    const b = await joined('r1', 'Bob');
    const held = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    dropConnection(b.socket);
    expect((await held).peers.find((p) => p.id === b.reply.selfId)?.reconnecting).toBe(true);

    const back = await h.client();
    const restored = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    const resumed = await request<JoinReply>(back, 'resume', { roomId: 'r1', token: b.reply.resumeToken });
    expect(resumed).toMatchObject({ ok: true, data: { selfId: b.reply.selfId, mode: 'mesh' } });
    if (!resumed.ok) return;
    expect(resumed.data.peers.map((p) => p.name)).toEqual(['Ada', 'Bob']);
    expect(resumed.data.resumeToken).not.toBe('');
    expect((await restored).peers.map((p) => [p.name, !!p.reconnecting])).toEqual([['Ada', false], ['Bob', false]]);

    // What is addressed to the peer id reaches the new socket, stamped with the old id as sender.
    const signal = nextEvent<{ from: string }>(back, 'mesh:signal');
    expect(await request(a.socket, 'mesh:signal', { to: b.reply.selfId, candidate: null })).toEqual({ ok: true, data: null });
    expect((await signal).from).toBe(a.reply.selfId);
    const fromB = nextEvent<{ from: string }>(a.socket, 'mesh:signal');
    expect(await request(back, 'mesh:signal', { to: a.reply.selfId, candidate: null })).toEqual({ ok: true, data: null });
    expect((await fromB).from).toBe(b.reply.selfId);

    // The grace timer was cancelled: the seat is still there after the grace period.
    await new Promise((r) => setTimeout(r, 1300));
    expect((await h.server.rooms.roster('r1')).map((p) => p.id)).toEqual([a.reply.selfId, b.reply.selfId]);
  });

  it('releases the seat after the grace period; a late resume is refused and a new join works', async () => {
    const a = await joined('r2', 'Ada');
    const b = await joined('r2', 'Bob');
    dropConnection(b.socket);
    await nextEvent(a.socket, 'room:roster'); // reconnecting
    expect((await nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster', 3_000)).peers.map((p) => p.name)).toEqual(['Ada']);
    const late = await h.client();
    expect(await request(late, 'resume', { roomId: 'r2', token: b.reply.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REFUSED', message: expect.stringContaining('no longer has a seat') },
    });
    expect(await request(late, 'join', { roomId: 'r2', name: 'Bob', mode: 'mesh' })).toMatchObject({ ok: true });
  });

  it('releases the seat at once when the client closes its connection itself (tab closed, page left)', async () => {
    const a = await joined('r5', 'Ada');
    const b = await joined('r5', 'Bob');
    const roster = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    b.socket.disconnect();
    expect((await roster).peers.map((p) => p.name)).toEqual(['Ada']);
  });

  it("refuses another room's token, a forged token and a resume from a socket already in a room", async () => {
    const a = await joined('r3', 'Ada');
    await joined('r4', 'Cy');
    const other = await h.client();
    expect(await request(other, 'resume', { roomId: 'r4', token: a.reply.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REFUSED', message: expect.stringContaining('another room') },
    });
    expect(await request(other, 'resume', { roomId: 'r3', token: `${a.reply.resumeToken}x` })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REFUSED' },
    });
    expect(await request(other, 'resume', { roomId: 'r3', token: '' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await request(a.socket, 'resume', { roomId: 'r3', token: a.reply.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_IN_ROOM' },
    });
  });
});

describe('resuming after the server restarted (same secret, new process)', () => {
  const env = { SFU_ENABLED: '0', RESUME_GRACE_SEC: '5', RESUME_SECRET: 'a-secret-both-processes-share' };
  let first: Harness;
  let second: Harness;
  afterEach(async () => {
    await first?.close();
    await second?.close();
  });

  const join = async (h: Harness, name: string) => {
    const socket = await h.client();
    const result = await request<JoinReply>(socket, 'join', { roomId: 'r9', name, mode: 'mesh' });
    if (!result.ok) throw new Error(`join failed: ${result.error.code}`);
    return result.data;
  };

  it('rebuilds mesh seats from their tokens: same ids and names, one room, and says so', async () => {
    first = await startHarness(env);
    const ada = await join(first, 'Ada');
    const bob = await join(first, 'Bob');
    await first.close();
    second = await startHarness(env);

    const adaBack = await second.client();
    const adaResumed = await request<JoinReply>(adaBack, 'resume', { roomId: 'r9', token: ada.resumeToken, media: { audio: true, video: false } });
    expect(adaResumed).toMatchObject({ ok: true, data: { selfId: ada.selfId, mode: 'mesh', restored: { holdMs: 5000 } } });
    if (!adaResumed.ok) return;
    expect(adaResumed.data.peers).toEqual([{ id: ada.selfId, name: 'Ada', media: { audio: true, video: false }, host: true }]);

    const roster = nextEvent<{ peers: PeerInfo[] }>(adaBack, 'room:roster');
    const bobResumed = await request<JoinReply>(await second.client(), 'resume', { roomId: 'r9', token: bob.resumeToken });
    expect(bobResumed).toMatchObject({ ok: true, data: { selfId: bob.selfId, restored: { holdMs: 5000 } } });
    expect((await roster).peers.map((p) => [p.id, p.name])).toEqual([[ada.selfId, 'Ada'], [bob.selfId, 'Bob']]);
    // The new tokens are the new process's: a second drop within this process resumes normally.
    if (bobResumed.ok) expect(bobResumed.data.resumeToken).not.toBe(bob.resumeToken);
  });

  it('refuses to rebuild an SFU seat (its media died with the server) and says why', async () => {
    second = await startHarness(env);
    const sfuToken = signResumeToken(env.RESUME_SECRET, { roomId: 'r9', peerId: 'p1', mode: 'sfu', name: 'Ada', bootId: 'an-earlier-process' }, 60_000);
    expect(await request(await second.client(), 'resume', { roomId: 'r9', token: sfuToken })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REFUSED', message: expect.stringContaining('SFU media cannot be restored') },
    });
  });

  it('refuses a rebuild into a room that now runs another mode, as RESUME_REFUSED so the client joins again', async () => {
    first = await startHarness(env);
    const ada = await join(first, 'Ada');
    await first.close();
    second = await startHarness(env);
    // Someone else took the room name in SFU mode first (refused here: SFU is off, so fill it by hand).
    await second.server.rooms.join('r9', 'sfu', { id: 'other', name: 'Cy', media: { audio: false, video: false } });
    expect(await request(await second.client(), 'resume', { roomId: 'r9', token: ada.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REFUSED', message: expect.stringContaining('sfu mode') },
    });
  });

  it('a token signed with another secret (server restarted without RESUME_SECRET persisted) is refused', async () => {
    first = await startHarness(env);
    const ada = await join(first, 'Ada');
    await first.close();
    second = await startHarness({ ...env, RESUME_SECRET: 'a-completely-different-secret' });
    expect(await request(await second.client(), 'resume', { roomId: 'r9', token: ada.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REFUSED', message: expect.stringContaining('not one this server signed') },
    });
  });
});
