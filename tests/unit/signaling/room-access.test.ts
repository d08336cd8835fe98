// Who may enter a room, over the wire with a real Socket.IO server: the creator's passcode, the
// wrong-passcode limit, the host (and who takes over), removal, the lock, and refusals of non-hosts.
import type { Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JoinReply, PeerInfo, Result } from '../../../signaling/protocol';
import { nextEvent, request, startHarness, type Harness } from '../helpers/signaling-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ SFU_ENABLED: '0', RESUME_GRACE_SEC: '5' });
});
afterEach(async () => h?.close());

const tryJoin = async (roomId: string, name: string, passcode?: string) => {
  const socket = await h.client();
  const result = await request<JoinReply>(socket, 'join', { roomId, name, mode: 'mesh', ...(passcode ? { passcode } : {}) });
  return { socket, result };
};
async function joined(roomId: string, name: string, passcode?: string): Promise<{ socket: Socket; reply: JoinReply }> {
  const { socket, result } = await tryJoin(roomId, name, passcode);
  if (!result.ok) throw new Error(`join failed: ${result.error.code} ${result.error.message}`);
  return { socket, reply: result.data };
}
const codeOf = (result: Result<unknown>) => (result.ok ? 'ok' : result.error.code);
const hosts = (peers: PeerInfo[]) => peers.filter((p) => p.host).map((p) => p.name);

describe('room passcode', () => {
  it('is set by the creator and asked of every later joiner, never sent back', async () => {
    const creator = await joined('p1', 'Ada', 'tulip-42');
    expect(codeOf((await tryJoin('p1', 'Bob')).result)).toBe('BAD_PASSCODE');
    const wrong = await tryJoin('p1', 'Bob', 'tulip-43');
    expect(wrong.result).toMatchObject({ ok: false, error: { code: 'BAD_PASSCODE', message: 'wrong passcode for room p1' } });
    const rosterAtAda = nextEvent<{ peers: PeerInfo[] }>(creator.socket, 'room:roster');
    const bob = await joined('p1', 'Bob', 'tulip-42');
    expect(JSON.stringify([creator.reply, bob.reply, await rosterAtAda])).not.toContain('tulip');
    // A room without one ignores a passcode; an emptied room forgets its passcode.
    await joined('p2', 'Cy');
    expect(codeOf((await tryJoin('p2', 'Dee', 'whatever')).result)).toBe('ok');
    await request(creator.socket, 'leave', {});
    await request(bob.socket, 'leave', {});
    expect(codeOf((await tryJoin('p1', 'Eve')).result)).toBe('ok');
  });

  it('is not asked on resume: the token proves the seat was admitted', async () => {
    await joined('p3', 'Ada', 'tulip-42');
    const bob = await joined('p3', 'Bob', 'tulip-42');
    bob.socket.io.engine.close();
    const back = await h.client();
    expect(codeOf(await request(back, 'resume', { roomId: 'p3', token: bob.reply.resumeToken }))).toBe('ok');
  });

  it('refuses an address after 5 wrong passcodes a minute, with when to try again', async () => {
    await joined('p4', 'Ada', 'tulip-42');
    for (let i = 0; i < 5; i++) expect(codeOf((await tryJoin('p4', 'Mallory', `guess-${i}`)).result)).toBe('BAD_PASSCODE');
    // Even the right passcode waits now: a guess that happened to be right must not be confirmed.
    const blocked = (await tryJoin('p4', 'Bob', 'tulip-42')).result;
    expect(blocked).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS', retryAfterSec: expect.any(Number) } });
    if (!blocked.ok) expect(blocked.error.retryAfterSec).toBeGreaterThan(50);
    // Rooms without a passcode are not affected.
    expect(codeOf((await tryJoin('p5', 'Bob')).result)).toBe('ok');
  });

  it('refuses malformed passcodes and host payloads with BAD_REQUEST', async () => {
    const ada = await joined('p6', 'Ada');
    for (const passcode of ['abc', 'x'.repeat(65), 1234, null, { code: 'tulip-42' }]) {
      expect(codeOf(await request(await h.client(), 'join', { roomId: 'p6', name: 'B', mode: 'mesh', passcode }))).toBe('BAD_REQUEST');
    }
    for (const payload of [{}, { peerId: 5 }, { peerId: '' }, { peerId: 'x', extra: 1 }, []]) {
      expect(codeOf(await request(ada.socket, 'host:remove', payload))).toBe('BAD_REQUEST');
    }
    for (const payload of [{}, { locked: 'yes' }, { locked: true, room: 'p6' }]) {
      expect(codeOf(await request(ada.socket, 'host:lock', payload))).toBe('BAD_REQUEST');
    }
  });
});

describe('host', () => {
  it('is the creator; when it leaves, the longest-present participant takes over', async () => {
    const ada = await joined('h1', 'Ada');
    expect(hosts(ada.reply.peers)).toEqual(['Ada']);
    const bob = await joined('h1', 'Bob');
    const cy = await joined('h1', 'Cy');
    expect(hosts(cy.reply.peers)).toEqual(['Ada']);
    const roster = nextEvent<{ peers: PeerInfo[] }>(cy.socket, 'room:roster');
    await request(ada.socket, 'leave', {});
    expect(hosts((await roster).peers)).toEqual(['Bob']);
    expect(codeOf(await request(cy.socket, 'host:lock', { locked: true }))).toBe('FORBIDDEN');
    expect(await request(bob.socket, 'host:lock', { locked: true })).toEqual({ ok: true, data: { locked: true } });
  });

  it('keeps its role while its seat is held through a reconnect', async () => {
    const ada = await joined('h2', 'Ada');
    const bob = await joined('h2', 'Bob');
    const held = nextEvent<{ peers: PeerInfo[] }>(bob.socket, 'room:roster');
    ada.socket.io.engine.close();
    expect((await held).peers.map((p) => [p.name, !!p.host, !!p.reconnecting])).toEqual([['Ada', true, true], ['Bob', false, false]]);
    expect(codeOf(await request(bob.socket, 'host:remove', { peerId: ada.reply.selfId }))).toBe('FORBIDDEN');
  });
});

describe('removing a participant', () => {
  it('ends its call, tells the others, and revokes its seat', async () => {
    const ada = await joined('r1', 'Ada');
    const bob = await joined('r1', 'Bob');
    const cy = await joined('r1', 'Cy');
    expect(codeOf(await request(bob.socket, 'host:remove', { peerId: cy.reply.selfId }))).toBe('FORBIDDEN');

    const told = nextEvent(bob.socket, 'room:removed');
    const dropped = nextEvent<string>(bob.socket, 'disconnect');
    const roster = nextEvent<{ peers: PeerInfo[] }>(cy.socket, 'room:roster');
    expect(await request(ada.socket, 'host:remove', { peerId: bob.reply.selfId })).toEqual({ ok: true, data: null });
    expect(await told).toEqual({ code: 'REMOVED', message: 'The host removed you from this call.' });
    expect(await dropped).toBe('io server disconnect');
    expect((await roster).peers.map((p) => p.name)).toEqual(['Ada', 'Cy']);
    // No grace period for a removed seat, and its token is worthless now.
    expect((await h.server.rooms.roster('r1')).map((p) => p.name)).toEqual(['Ada', 'Cy']);
    const back = await h.client();
    expect(await request(back, 'resume', { roomId: 'r1', token: bob.reply.resumeToken })).toMatchObject({ ok: false, error: { code: 'REMOVED' } });

    expect(codeOf(await request(ada.socket, 'host:remove', { peerId: ada.reply.selfId }))).toBe('BAD_REQUEST');
    expect(codeOf(await request(ada.socket, 'host:remove', { peerId: bob.reply.selfId }))).toBe('PEER_NOT_FOUND');
    const elsewhere = await joined('r2', 'Dee');
    expect(codeOf(await request(ada.socket, 'host:remove', { peerId: elsewhere.reply.selfId }))).toBe('PEER_NOT_FOUND');
    expect(codeOf(await request(await h.client(), 'host:remove', { peerId: cy.reply.selfId }))).toBe('NOT_IN_ROOM');
  });
});

describe('locking the room', () => {
  it('refuses new joiners, not members coming back; unlocking opens it again', async () => {
    const ada = await joined('l1', 'Ada', 'tulip-42');
    const bob = await joined('l1', 'Bob', 'tulip-42');
    expect(codeOf(await request(bob.socket, 'host:lock', { locked: true }))).toBe('FORBIDDEN');
    const heard = nextEvent(bob.socket, 'room:lock');
    expect(await request(ada.socket, 'host:lock', { locked: true })).toEqual({ ok: true, data: { locked: true } });
    expect(await heard).toEqual({ locked: true });
    // Locked beats a right passcode, and a wrong one is not even counted.
    expect((await tryJoin('l1', 'Cy', 'tulip-42')).result).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });

    bob.socket.io.engine.close();
    const resumed = await request<JoinReply>(await h.client(), 'resume', { roomId: 'l1', token: bob.reply.resumeToken });
    expect(resumed).toMatchObject({ ok: true, data: { locked: true } });

    await request(ada.socket, 'host:lock', { locked: false });
    expect(codeOf((await tryJoin('l1', 'Cy', 'tulip-42')).result)).toBe('ok');
  });
});

describe('after a server restart', () => {
  const env = { SFU_ENABLED: '0', RESUME_GRACE_SEC: '5', RESUME_SECRET: 'a-secret-both-processes-share' };

  it('rebuilds a room that had a passcode locked, and an open one open', async () => {
    const first = await startHarness(env);
    const join = async (roomId: string, passcode?: string) => {
      const result = await request<JoinReply>(await first.client(), 'join', { roomId, name: 'Ada', mode: 'mesh', ...(passcode ? { passcode } : {}) });
      if (!result.ok) throw new Error(result.error.code);
      return result.data;
    };
    const guarded = await join('g1', 'tulip-42');
    const open = await join('g2');
    await first.close();
    const second = await startHarness(env);
    try {
      const resume = async (roomId: string, token: string) => request<JoinReply>(await second.client(), 'resume', { roomId, token });
      expect(await resume('g1', guarded.resumeToken)).toMatchObject({ ok: true, data: { locked: true, restored: expect.any(Object) } });
      expect(await resume('g2', open.resumeToken)).toMatchObject({ ok: true, data: { locked: false } });
      const outsider = await request(await second.client(), 'join', { roomId: 'g1', name: 'Eve', mode: 'mesh' });
      expect(codeOf(outsider)).toBe('ROOM_LOCKED');
    } finally {
      await second.close();
    }
  });
});
