// Seeded fuzzing of the room-access requests (join with a passcode, resume, host:remove, host:lock):
// random and almost-valid payloads from members, hosts and outsiders. Every request must be
// answered with a known code (never INTERNAL), only valid requests may succeed, and nobody may get
// in or be removed by luck.
import { expect, it } from 'vitest';
import type { JoinReply, PeerInfo, Result } from '../../../signaling/protocol';
import { fuzzer, refusedWithKnownCode, seeded } from '../helpers/fuzzer';
import { request, startHarness } from '../helpers/signaling-harness';

it('answers every fuzzed access request with a known code and accepts only valid ones', async () => {
  const h = await startHarness({ SFU_ENABLED: '0', RATE_LIMIT_PER_SEC: '1000', RATE_LIMIT_BURST: '1000' });
  try {
    const join = async (name: string) => {
      const socket = await h.client();
      const result = await request<JoinReply>(socket, 'join', { roomId: 'fz', name, mode: 'mesh', passcode: 'right-passcode' });
      if (!result.ok) throw new Error(result.error.code);
      return { socket, reply: result.data };
    };
    const host = await join('Host');
    const member = await join('Member');
    // A real token whose seat is gone: even sent intact it must not seat anyone.
    const gone = await join('Gone');
    await request(gone.socket, 'leave', {});
    const senders = { host: host.socket, member: member.socket, outsider: await h.client() };
    const { pick, mutate } = fuzzer(seeded(20261123));
    let locked = false;

    for (let i = 0; i < 400; i++) {
      const [event, valid] = pick<[string, Record<string, unknown>]>([
        ['join', { roomId: 'fz', name: 'Eve', mode: 'mesh', passcode: 'wrong-passcode' }],
        ['resume', { roomId: 'fz', token: gone.reply.resumeToken }],
        ['host:remove', { peerId: 'nobody-here' }],
        ['host:lock', { locked: false }],
      ]);
      const payload = mutate(valid) as Record<string, unknown>;
      const who = pick(['host', 'member', 'outsider'] as const);
      const result = (await request(senders[who], event, payload)) as Result<unknown>;
      const what = `${who} ${event} ${JSON.stringify(payload)}`;
      if (refusedWithKnownCode(result, what)) continue;
      // What may succeed: the host's exact lock request, and an outsider joining another room.
      if (event === 'host:lock') {
        expect([who, Object.keys(payload), typeof payload.locked], what).toEqual(['host', ['locked'], 'boolean']);
        locked = payload.locked as boolean;
      } else {
        expect([who, event, payload.roomId === 'fz'], what).toEqual(['outsider', 'join', false]);
        await request(senders.outsider, 'leave', {});
      }
    }

    // Still up, nobody removed or let in, and the lock is what the accepted requests made it.
    const roster = (await h.server.rooms.roster('fz'));
    expect(roster.map((p: PeerInfo) => [p.name, !!p.host])).toEqual([['Host', true], ['Member', false]]);
    const late = await request(await h.client(), 'join', { roomId: 'fz', name: 'Late', mode: 'mesh' });
    expect(late).toMatchObject({ ok: false, error: { code: locked ? 'ROOM_LOCKED' : 'BAD_PASSCODE' } });
    expect(await request(host.socket, 'host:lock', { locked: false })).toEqual({ ok: true, data: { locked: false } });
  } finally {
    await h.close();
  }
});
