// Auto rooms over real Socket.IO with a real mediasoup worker: the server's decisions (mesh up to
// the threshold, SFU above it), who is told and with what, seats on the SFU before the move, the
// release of SFU media after a move back, and a join racing a leave settling on one decision.
import { describe, expect, it } from 'vitest';
import type { TopologyPush } from '../../../signaling/protocol';
import { joinAs, nextEvent, record, request } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const rig = useSfuHarness();

const joinAuto = (roomId: string, name: string, extra: Record<string, unknown> = {}) => joinAs(rig.h, { roomId, name, mode: 'auto', ...extra });

describe('auto rooms', () => {
  it('start on mesh, move everyone to the SFU when a third joins, and back when it leaves', async () => {
    const a = await joinAuto('auto-1', 'A');
    expect(a.reply.auto).toMatchObject({ epoch: 0, topology: 'mesh', threshold: 2 });
    expect(a.reply.routerRtpCapabilities).toBeUndefined();
    const b = await joinAuto('auto-1', 'B');
    expect(b.reply.auto).toMatchObject({ topology: 'mesh', epoch: 0 });
    // On mesh, mesh signals flow between them.
    const signal = nextEvent(b.socket, 'mesh:signal');
    expect(await request(a.socket, 'mesh:signal', { to: b.reply.selfId, candidate: null })).toEqual({ ok: true, data: null });
    await signal;

    const aHears = nextEvent<TopologyPush>(a.socket, 'room:topology');
    const bHears = nextEvent<TopologyPush>(b.socket, 'room:topology');
    const c = await joinAuto('auto-1', 'C');
    // The joiner's reply starts it on the SFU; the others are told, with the router's capabilities.
    expect(c.reply.auto).toMatchObject({ epoch: 1, topology: 'sfu', participants: 3, reason: '3 participants > threshold 2' });
    expect(c.reply.routerRtpCapabilities).toBeTruthy();
    for (const push of [await aHears, await bHears]) {
      expect(push).toMatchObject({ epoch: 1, topology: 'sfu', threshold: 2, reason: '3 participants > threshold 2' });
      expect(push.routerRtpCapabilities).toBeTruthy();
    }
    // Seated on the SFU before being told: A can set up its transports at once.
    expect(await request(a.socket, 'sfu:createTransport', { direction: 'recv' })).toMatchObject({ ok: true });

    const back = nextEvent<TopologyPush>(a.socket, 'room:topology');
    c.socket.disconnect();
    expect(await back).toMatchObject({ epoch: 2, topology: 'mesh', participants: 2, reason: '2 participants ≤ threshold 2' });
    expect((await back).routerRtpCapabilities).toBeUndefined();
    // A's SFU media stays until A releases it (make before break); then its seat there goes too.
    expect(await request(a.socket, 'sfu:createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    expect(await request(a.socket, 'sfu:release', {})).toEqual({ ok: true, data: null });
    expect(await request(a.socket, 'sfu:createTransport', { direction: 'send' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it("takes the creator's threshold, ignores later joiners', and refuses one above the mesh cap", async () => {
    const a = await joinAuto('auto-2', 'A', { sfuAbove: 3 });
    expect(a.reply.auto).toMatchObject({ threshold: 3, topology: 'mesh' });
    const b = await joinAuto('auto-2', 'B', { sfuAbove: 1 });
    expect(b.reply.auto).toMatchObject({ threshold: 3, topology: 'mesh' });
    const socket = await rig.h.client();
    expect(await request(socket, 'join', { roomId: 'auto-3', name: 'X', mode: 'auto', sfuAbove: 7 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('sfuAbove=7') },
    });
    expect(await request(socket, 'join', { roomId: 'auto-3', name: 'X', mode: 'auto', sfuAbove: 0 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // An auto room is its own mode: joining it as mesh is a mismatch.
    expect(await request(socket, 'join', { roomId: 'auto-2', name: 'X', mode: 'mesh' })).toMatchObject({ ok: false, error: { code: 'MODE_MISMATCH' } });
  });

  it('refuses sfu:release outside auto rooms', async () => {
    const socket = await rig.h.client();
    expect(await request(socket, 'join', { roomId: 'plain-sfu', name: 'S', mode: 'sfu' })).toMatchObject({ ok: true });
    expect(await request(socket, 'sfu:release', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('auto rooms') } });
  });

  it('a join and a leave at once end with everyone holding the same newest decision', async () => {
    const members = [await joinAuto('auto-4', 'A'), await joinAuto('auto-4', 'B'), await joinAuto('auto-4', 'C')];
    const pushes = members.slice(0, 2).map((m) => record<TopologyPush>(m.socket, 'room:topology'));
    // C leaves while D joins: three either way, but the server may decide in between.
    members[2].socket.disconnect();
    const d = await joinAuto('auto-4', 'D');
    await new Promise((r) => setTimeout(r, 300));
    const newest = (seen: TopologyPush[], start: { epoch: number; topology: string }) => seen.reduce((n, p) => (p.epoch > n.epoch ? p : n), start);
    const finals = [
      ...pushes.map((seen, i) => newest(seen, members[i].reply.auto!)),
      d.reply.auto!,
    ];
    expect(new Set(finals.map((f) => `${f.epoch}:${f.topology}`)).size).toBe(1);
    expect(finals[0].topology).toBe('sfu');
  });
});
