// The single point of failure, for real: a server process this test starts itself is killed with
// SIGKILL (no goodbye to anyone) and started again on the same port with the same resume secret.
// Mesh media never needed it: every tab keeps decoding while it is gone, and afterwards the room is
// whole again with the same peer ids and the same peer connections (frame counts never restart, no
// duplicate or ghost tiles). SFU media died with it: the tabs go dark, rejoin by themselves and
// decode everyone again, without a reload.
import { expect, test } from '@playwright/test';
import { io as connect, type Socket } from 'socket.io-client';
import { signResumeToken } from '../../signaling/resume-token';
import { metricValue, startServer, type ServerHandle } from '../../scripts/kit/lib/server-process';
import { closeAll, expectEveryoneDecodesEveryone, framesByPeer, openRoom, type Participant } from './call-fixtures';

// Both processes must share it, as a real restart shares the kept secret file.
const env = { RESUME_SECRET: 'e2e-resume-secret-shared-by-restarts', RESUME_GRACE_SEC: '20', OPERATOR_TOKEN: 'e2e-restart-operator-token' };

let server: ServerHandle | null = null;
test.afterEach(async () => {
  await server?.stop();
  server = null;
});

async function killAndRestart(): Promise<void> {
  const { port } = new URL(server!.url);
  server!.child.kill('SIGKILL');
  await new Promise((resolve) => server!.child.once('exit', resolve));
  // Down for a while, as a crash is: the tabs' retries meet a closed port.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  server = await startServer({ port: Number(port), env });
}

const snapshotOf = (p: Participant) => p.page.evaluate(() => window.__call!.getSnapshot());

test('mesh: a killed and restarted server costs no media, no peer ids and no peer connections', async ({ browser }) => {
  test.setTimeout(150_000);
  server = await startServer({ env });
  const all = await openRoom(browser, `restart-${Date.now()}`, 'mesh', 3, 'k', '', server.url);
  try {
    await expectEveryoneDecodesEveryone(all);
    const ids = await Promise.all(all.map(async (p) => (await p.snapshot()).selfId));
    const before = await Promise.all(all.map(framesByPeer));

    const restarted = killAndRestart();
    await expect(all[0].page.getByTestId('signaling-state')).toContainText('peer-to-peer media continues');
    await restarted;
    // Frames kept coming from every peer while no server existed (the lesson), on every tab.
    const during = await Promise.all(all.map(framesByPeer));
    for (const [i, frames] of during.entries()) {
      for (const [name, count] of Object.entries(frames)) expect(count, `${all[i].name} from ${name} while the server was down`).toBeGreaterThan(before[i][name] + 20);
    }

    for (const [i, p] of all.entries()) {
      await expect.poll(async () => (await snapshotOf(p)).signaling, { message: `${p.name} signaling back`, timeout: 45_000 }).toBe('connected');
      // The same seat, rebuilt from the token by the new process, and nobody joined afresh.
      expect((await p.snapshot()).selfId, `${p.name} keeps its peer id`).toBe(ids[i]);
    }
    for (const [i, p] of all.entries()) {
      const others = ids.filter((id) => id !== ids[i]).sort();
      await expect.poll(async () => (await p.snapshot()).peers.map((peer) => peer.id).sort(), { message: `${p.name} roster whole` }).toEqual(others);
      await expect.poll(async () => (await snapshotOf(p)).peers.some((peer) => peer.reconnecting), { message: `${p.name} no one reconnecting` }).toBe(false);
      await expect(p.page.getByTestId('remote-tile')).toHaveCount(2);
    }
    // Kept connections: frame counts continued from where they were (a rebuilt one starts again at 0).
    const after = await Promise.all(all.map(framesByPeer));
    for (const [i, frames] of after.entries()) {
      for (const [name, count] of Object.entries(frames)) expect(count, `${all[i].name} from ${name} after the restart`).toBeGreaterThan(during[i][name]);
    }
    await expectEveryoneDecodesEveryone(all);
    // The new process agrees: one mesh room of three (no ghost seats of old ids).
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metricValue(metrics, 'call_rooms', { mode: 'mesh' })).toBe(1);
    expect(metricValue(metrics, 'call_peers', { mode: 'mesh' })).toBe(3);
  } finally {
    await closeAll(all);
  }
});

test('SFU: a killed and restarted server makes the room go dark, then everyone rejoins and decodes everyone, without a reload', async ({ browser }) => {
  test.setTimeout(150_000);
  server = await startServer({ env });
  const all = await openRoom(browser, `restart-sfu-${Date.now()}`, 'sfu', 3, 's', '', server.url);
  try {
    await expectEveryoneDecodesEveryone(all);
    const urls = all.map((p) => p.page.url());
    const ids = await Promise.all(all.map(async (p) => (await p.snapshot()).selfId));
    await killAndRestart();
    for (const p of all) {
      await expect.poll(async () => { const s = await snapshotOf(p); return s.status === 'joined' && s.signaling === 'connected'; }, { message: `${p.name} rejoined`, timeout: 45_000 }).toBe(true);
    }
    // New peer ids (SFU seats are not rebuilt), and exactly the two others on every tab: no ghosts of the old ids.
    const newIds = await Promise.all(all.map(async (p) => (await p.snapshot()).selfId));
    for (const id of newIds) expect(ids).not.toContain(id);
    for (const [i, p] of all.entries()) {
      const others = newIds.filter((_, j) => j !== i).sort();
      await expect.poll(async () => (await p.snapshot()).peers.map((peer) => peer.id).sort(), { message: `${p.name} roster`, timeout: 30_000 }).toEqual(others);
      await expect(p.page.getByTestId('remote-tile')).toHaveCount(2);
    }
    await expectEveryoneDecodesEveryone(all);
    expect(all.map((p) => p.page.url())).toEqual(urls);
    for (const p of all) expect((await p.snapshot()).error).toBeNull();
  } finally {
    await closeAll(all);
  }
});

test('the real server process refuses forged, expired and other rooms\' resume tokens, and drills without the operator token', async () => {
  server = await startServer({ env });
  const socket: Socket = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
    const ask = (payload: unknown) => socket.timeout(5_000).emitWithAck('resume', payload);
    const joined = await socket.timeout(5_000).emitWithAck('join', { roomId: 'tokens', name: 'Ada', mode: 'mesh' });
    expect(joined.ok).toBe(true);
    const valid: string = joined.data.resumeToken;
    const other: Socket = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve) => other.once('connect', () => resolve()));
    const resumeAs = (payload: unknown) => other.timeout(5_000).emitWithAck('resume', payload);
    const seat = { roomId: 'tokens', peerId: joined.data.selfId, mode: 'mesh' as const, name: 'Ada', bootId: 'x' };
    const cases: [string, unknown, RegExp][] = [
      ['another room', { roomId: 'elsewhere', token: valid }, /another room/],
      ['forged', { roomId: 'tokens', token: `${valid.split('.')[0]}.${'A'.repeat(43)}` }, /not one this server signed/],
      ['expired', { roomId: 'tokens', token: signResumeToken(env.RESUME_SECRET, seat, -1000) }, /expired/],
      ['signed with another secret', { roomId: 'tokens', token: signResumeToken('some-other-secret-entirely', seat, 60_000) }, /not one this server signed/],
    ];
    for (const [what, payload, message] of cases) {
      expect(await resumeAs(payload), what).toMatchObject({ ok: false, error: { code: 'RESUME_REFUSED', message: expect.stringMatching(message) } });
    }
    expect(await ask({ roomId: 'tokens', token: valid }), 'a socket already in the room').toMatchObject({ ok: false, error: { code: 'ALREADY_IN_ROOM' } });
    other.disconnect();

    const drill = (path: string, token?: string) =>
      fetch(`${server!.url}/drill/${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }).then((r) => r.status);
    for (const path of ['signaling-outage?seconds=5', 'kill-worker', 'restart-server?seconds=5']) {
      expect(await drill(path), `${path} without a token`).toBe(401);
      expect(await drill(path, 'not-the-operator-token'), `${path} with a wrong token`).toBe(403);
    }
    // None of the refusals did anything: the caller's seat is still there.
    expect(await socket.timeout(5_000).emitWithAck('media:state', { audio: true, video: true })).toEqual({ ok: true, data: null });
  } finally {
    socket.disconnect();
  }
});
