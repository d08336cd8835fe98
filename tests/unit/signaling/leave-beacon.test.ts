// POST /api/leave against the real server: a page's beacon frees its seat at once (the others see
// it go, no grace period), and everything else is refused with a status and a reason: another
// method, an oversized or malformed body, a forged or other room's token, a seat already gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinReply, PeerInfo } from '../../../signaling/protocol';
import { nextEvent, request, startHarness, type Harness } from '../helpers/signaling-harness';

let h: Harness;
beforeAll(async () => {
  // A long grace period: without the beacon, a dropped seat would be held for a minute.
  h = await startHarness({ SFU_ENABLED: '0', RESUME_GRACE_SEC: '60' });
});
afterAll(() => h.close());

const beacon = (body: unknown, method = 'POST') =>
  fetch(`${h.url}/api/leave`, { method, body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined, headers: { 'content-type': 'text/plain' } });

async function join(roomId: string, name: string) {
  const socket = await h.client();
  const result = await request<JoinReply>(socket, 'join', { roomId, name, mode: 'mesh' });
  if (!result.ok) throw new Error(result.error.code);
  return { socket, reply: result.data };
}

describe('POST /api/leave', () => {
  it("frees the token's seat at once: the others see it go and the old socket is closed", async () => {
    const a = await join('beacon-1', 'A');
    const b = await join('beacon-1', 'B');
    const gone = nextEvent<{ peers: PeerInfo[] }>(a.socket, 'room:roster');
    const closed = new Promise((resolve) => b.socket.once('disconnect', resolve));
    const res = await beacon({ roomId: 'beacon-1', token: b.reply.resumeToken });
    expect(res.status).toBe(204);
    expect((await gone).peers.map((p) => p.name)).toEqual(['A']);
    await closed;
    // A second beacon for the same seat: already gone.
    const again = await beacon({ roomId: 'beacon-1', token: b.reply.resumeToken });
    expect([again.status, (await again.json()).error.code]).toEqual([404, 'NOT_IN_ROOM']);
  });

  it('refuses other methods, oversized, malformed and forged beacons, and leaves the room alone', async () => {
    const a = await join('beacon-2', 'A');
    const b = await join('beacon-2', 'B');
    const cases: [unknown, string, number, string][] = [
      [null, 'GET', 405, 'METHOD_NOT_ALLOWED'],
      ['x'.repeat(5000), 'POST', 413, 'PAYLOAD_TOO_LARGE'],
      ['not json', 'POST', 400, 'BAD_REQUEST'],
      [{ roomId: 'beacon-2' }, 'POST', 400, 'BAD_REQUEST'],
      [{ roomId: 'beacon-2', token: b.reply.resumeToken, extra: 1 }, 'POST', 400, 'BAD_REQUEST'],
      [{ roomId: 'beacon-2', token: `${b.reply.resumeToken.split('.')[0]}.forged` }, 'POST', 403, 'RESUME_REFUSED'],
      [{ roomId: 'beacon-other', token: b.reply.resumeToken }, 'POST', 403, 'RESUME_REFUSED'],
    ];
    for (const [body, method, status, code] of cases) {
      const res = await beacon(body, method);
      expect([res.status, (await res.json()).error.code], JSON.stringify(body)?.slice(0, 80)).toEqual([status, code]);
    }
    expect((await h.server.rooms.roster('beacon-2')).map((p) => p.name)).toEqual(['A', 'B']);
    expect(a.socket.connected && b.socket.connected).toBe(true);
  });
});
