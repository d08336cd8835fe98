// The operator's room view on a real server with real Socket.IO clients: refused without the
// operator token, a bad room id or an empty room answered clearly, and a room's roster with each
// participant's latest shared summary (and nobody's who left).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatsShare } from '../../../signaling/protocol';
import { request, startHarness, type Harness } from '../helpers/signaling-harness';

const TOKEN = 'operator-token-for-tests';
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ SFU_ENABLED: '0', OPERATOR_TOKEN: TOKEN });
});
afterEach(async () => h.close());

const watch = (query: string, init: RequestInit = { headers: { authorization: `Bearer ${TOKEN}` } }) =>
  fetch(`${h.url}/operator/room${query}`, init).then(async (r) => ({ status: r.status, body: await r.json() }));
const summary: StatsShare = { upKbps: 500, downKbps: 400, videoUpKbps: 450, rttMs: 83, pingMs: 85, encoders: 1, connections: 1, limitReason: 'none', path: 'srflx' };

async function joined(roomId: string, name: string) {
  const socket = await h.client();
  const r = await request<{ selfId: string }>(socket, 'join', { roomId, name, mode: 'mesh' });
  if (!r.ok) throw new Error(r.error.code);
  return socket;
}

describe('operator room view', () => {
  it('refuses a missing or wrong token and other methods, saying no more', async () => {
    expect(await watch('?room=w1', {})).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(await watch('?room=w1', { headers: { authorization: 'Bearer wrong-token-wrong-token-x' } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await watch('?room=w1', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).toMatchObject({ status: 405 });
  });

  it('answers a bad room id and an empty room clearly', async () => {
    expect(await watch('?room=no%20spaces')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await watch('')).toMatchObject({ status: 400 });
    expect(await watch('?room=nobody-here')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'nobody is in room nobody-here' } } });
  });

  it('shows everyone with their latest summary, and forgets who left', async () => {
    const a = await joined('w2', 'h1-symmetric');
    const b = await joined('w2', 'h2-public');
    expect(await request(a, 'stats:share', { ...summary, rttMs: 90, path: 'relay/udp' })).toMatchObject({ ok: true });
    const r = await watch('?room=w2');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'w2', mode: 'mesh' });
    const byName = Object.fromEntries(r.body.peers.map((p: { name: string }) => [p.name, p]));
    expect(byName['h1-symmetric'].share).toMatchObject({ rttMs: 90, path: 'relay/udp', from: a.id });
    expect(byName['h2-public'].share).toBeNull();
    expect(await request(a, 'leave', {})).toMatchObject({ ok: true });
    expect((await watch('?room=w2')).body.peers.map((p: { name: string }) => p.name)).toEqual(['h2-public']);
    b.disconnect();
  });
});
