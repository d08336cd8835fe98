// The call engine's side of room access, against a scripted Socket.IO server: the passcode goes
// with every join and never with resume, the roster's host and the room's lock reach the snapshot,
// and a removal ends the call for good (no resume, no rejoin).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallEngine } from '../../../app/lib/call/engine';
import { isRetryable } from '../../../app/lib/call/errors';
import { MeshCall } from '../../../app/lib/call/mesh-call';
import type { JoinReply } from '../../../signaling/protocol';
import { ok, peer, refuse, ScriptedServer, until } from './scripted-server';

let server: ScriptedServer;
let call: CallEngine | null = null;
beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  call?.leave();
  call = null;
  await server.close();
});

const reply = (patch: Partial<JoinReply> = {}): JoinReply => ({
  selfId: 'me', resumeToken: 'token-me', mode: 'mesh', peers: [{ ...peer('me'), host: true }],
  iceServers: [], iceTtlSeconds: 0, locked: false, ...patch,
});

function meshCall(passcode?: string): MeshCall {
  const c = new MeshCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl: server.url, passcode });
  call = c;
  return c;
}

describe('room access in the call engine', () => {
  it('sends the passcode with every join, never with resume', async () => {
    let joins = 0;
    server.handle('join', () => ok(reply({ selfId: ++joins === 1 ? 'me' : 'me-again' })));
    server.handle('resume', () => refuse('RESUME_REFUSED', 'the seat is gone'));
    const c = meshCall('tulip-42');
    await c.join();
    server.disconnectAll();
    await until(() => server.requested('join').length === 2, 'the rejoin');
    expect(server.requested('join').map((p) => p.passcode)).toEqual(['tulip-42', 'tulip-42']);
    expect(server.requested('resume').map((p) => Object.keys(p).sort())).toEqual([['media', 'roomId', 'token']]);
  });

  it('shows who hosts, and the lock as the server pushes it', async () => {
    server.handle('join', () => ok(reply()));
    const c = meshCall();
    await c.join();
    expect(c.getSnapshot()).toMatchObject({ host: true, locked: false, peers: [] });
    server.push('room:roster', { peers: [peer('other'), peer('me')].map((p, i) => ({ ...p, ...(i === 0 ? { host: true } : {}) })) });
    await until(() => !c.getSnapshot().host, 'the host role moved');
    expect(c.getSnapshot().peers).toMatchObject([{ id: 'other', host: true }]);
    server.push('room:lock', { locked: true });
    await until(() => c.getSnapshot().locked, 'locked');
  });

  it('ends the call for good when the host removes us', async () => {
    server.handle('join', () => ok(reply()));
    const c = meshCall();
    await c.join();
    server.push('room:removed', { code: 'REMOVED', message: 'The host removed you from this call.' });
    await until(() => c.getSnapshot().status === 'failed', 'the call to end');
    expect(c.getSnapshot().error).toEqual({ code: 'REMOVED', message: 'The host removed you from this call.' });
    expect(isRetryable(c.getSnapshot().error!)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([server.requested('join').length, server.requested('resume').length]).toEqual([1, 0]);
  });

  it('fails with REMOVED, without rejoining, when the seat was removed while we were away', async () => {
    server.handle('join', () => ok(reply()));
    server.handle('resume', () => refuse('REMOVED', 'the host removed peer me'));
    const c = meshCall();
    await c.join();
    server.disconnectAll();
    await until(() => c.getSnapshot().status === 'failed', 'the call to end');
    expect(c.getSnapshot().error?.code).toBe('REMOVED');
    expect(server.requested('join')).toHaveLength(1);
  });
});
