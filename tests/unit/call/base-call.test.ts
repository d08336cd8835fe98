// BaseCall's signaling life cycle (join, failure codes, the room channel, the roster, TURN credential
// refresh), driven through the two engines against a scripted Socket.IO server.
// Mocked, because browsers' WebRTC does not exist in Node: MeshCall is used only without peers (it
// needs RTCPeerConnection only for peers); where peers must appear, SfuCall joins receive-only on
// mediasoup-client's FakeHandler. The socket, the server and the engines' own code are real.
import { Device, type types } from 'mediasoup-client';
import * as fake from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallEngine, CallStatus } from '../../../app/lib/call/engine';
import { CallError, CLIENT_ERROR_CODES, isRetryable } from '../../../app/lib/call/errors';
import { MeshCall } from '../../../app/lib/call/mesh-call';
import { SfuCall } from '../../../app/lib/call/sfu-call';
import { ERROR_CODES, type JoinReply, type PeerStatsShare } from '../../../signaling/protocol';
import { closedPortUrl, ok, peer, refuse, scriptSfuRoom, ScriptedServer, until, within } from './scripted-server';

let server: ScriptedServer;
let call: CallEngine | null = null;
let transports: types.Transport[] = [];

beforeEach(async () => {
  server = await ScriptedServer.start();
  transports = [];
});
afterEach(async () => {
  call?.leave();
  call = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
  await server.close();
});

const meshReply = (selfId = 'me'): JoinReply => ({ selfId, resumeToken: `token-${selfId}`, mode: 'mesh', peers: [peer(selfId)], iceServers: [], iceTtlSeconds: 0, locked: false });

function meshCall(serverUrl = server.url): MeshCall {
  const c = new MeshCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl });
  call = c;
  return c;
}

function receiveOnlySfuCall(): SfuCall {
  const c = new SfuCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl: server.url }, async () => {
    const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
    device.observer.on('newtransport', (t: types.Transport) => transports.push(t));
    return device;
  });
  call = c;
  return c;
}

const ids = (c: CallEngine) => c.getSnapshot().peers.map((p) => p.id);

const share = (from: string): PeerStatsShare => ({
  from,
  at: 1,
  upKbps: 100,
  downKbps: 200,
  videoUpKbps: 90,
  rttMs: 10,
  pingMs: 12,
  encoders: 1,
  connections: 1,
  limitReason: null,
});

describe('BaseCall joining', () => {
  it('fails with the server refusal (MODE_MISMATCH), not with the disconnect that follows it', async () => {
    server.handle('join', () => refuse('MODE_MISMATCH', 'room-1 is an SFU room'));
    const c = meshCall();
    const errors: string[] = [];
    c.subscribe(() => errors.push(c.getSnapshot().error?.code ?? 'none'));
    await c.join();
    expect(c.getSnapshot()).toMatchObject({ status: 'failed', error: { code: 'MODE_MISMATCH' } });
    expect(server.requested('join')).toEqual([{ roomId: 'room-1', name: 'me', mode: 'mesh', media: { audio: false, video: false } }]);
    await until(() => server.disconnects === 1, 'the client hung up');
    expect(c.getSnapshot().error).toMatchObject({ code: 'MODE_MISMATCH', message: 'room-1 is an SFU room' });
    // Not even for one render: closing our socket must not report SIGNALING_LOST first.
    expect([...new Set(errors)]).toEqual(['none', 'MODE_MISMATCH']);
    expect(isRetryable(c.getSnapshot().error!)).toBe(false);
  });

  it('fails with SIGNALING_UNREACHABLE when nothing listens, instead of staying in joining', async () => {
    const c = meshCall(await closedPortUrl());
    const statuses: CallStatus[] = [];
    c.subscribe(() => statuses.push(c.getSnapshot().status));
    void c.join(); // its join request never gets an answer; the status is what the UI reads
    await until(() => c.getSnapshot().status !== 'joining', 'joining to end');
    expect(statuses).toEqual(['joining', 'failed']);
    expect(c.getSnapshot().error?.code).toBe('SIGNALING_UNREACHABLE');
    expect(isRetryable(c.getSnapshot().error!)).toBe(true);
  });

  it('keeps the call when the server drops the socket, reconnects and resumes the same seat', async () => {
    server.handle('join', () => ok(meshReply()));
    server.handle('resume', ({ token }) => (token === 'token-me' ? ok({ ...meshReply(), resumeToken: 'token-me-2' }) : refuse('RESUME_REFUSED')));
    const c = meshCall();
    await c.join();
    server.disconnectAll();
    await until(() => c.getSnapshot().signaling === 'reconnecting', 'reconnecting');
    expect(c.getSnapshot().status).toBe('joined'); // the call (and its media) stays
    await until(() => c.getSnapshot().signaling === 'connected', 'resumed');
    // Our media state goes along, for a seat the server may have to rebuild after a restart.
    expect(server.requests.filter((r) => r.event === 'resume').map((r) => r.payload)).toEqual([
      { roomId: 'room-1', token: 'token-me', media: { audio: false, video: false } },
    ]);
    expect(c.getSnapshot()).toMatchObject({ status: 'joined', selfId: 'me', error: null });
    expect(server.requests.filter((r) => r.event === 'join')).toHaveLength(1);
    // The next loss offers the newer token.
    server.disconnectAll();
    await until(() => server.requests.filter((r) => r.event === 'resume').length === 2, 'second resume');
    expect(server.requests.filter((r) => r.event === 'resume').at(-1)!.payload.token).toBe('token-me-2');
  });

  it('joins again with a new id when the server no longer holds the seat', async () => {
    let joins = 0;
    server.handle('join', () => ok(meshReply(++joins === 1 ? 'me' : 'me-again')));
    server.handle('resume', () => refuse('RESUME_REFUSED', 'the seat is gone'));
    const c = meshCall();
    await c.join();
    server.disconnectAll();
    await until(() => c.getSnapshot().selfId === 'me-again' && c.getSnapshot().signaling === 'connected', 'rejoined');
    expect(c.getSnapshot()).toMatchObject({ status: 'joined', error: null });
  });

  it('an SFU call whose seat is gone (server restarted) rejoins and sets its media up again', async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    server.handle('resume', () => refuse('RESUME_REFUSED', 'the server restarted'));
    const c = receiveOnlySfuCall();
    await c.join();
    const transportsBefore = server.requests.filter((r) => r.event === 'sfu:createTransport').length;
    server.disconnectAll();
    await until(() => server.requests.filter((r) => r.event === 'join').length === 2, 'joined again');
    await until(() => c.getSnapshot().signaling === 'connected' && c.getSnapshot().status === 'joined', 'rejoined');
    // The media requests of the rejoin went out while the phase was still 'rejoining'.
    expect(server.requests.filter((r) => r.event === 'sfu:createTransport').length).toBeGreaterThan(transportsBefore);
    expect(c.getSnapshot()).toMatchObject({ error: null, selfId: room.selfId });
    expect(ids(c)).toEqual(['bob']);
  });

  it('refuses requests while reconnecting instead of queueing them ahead of the resume', async () => {
    server.handle('join', () => ok(meshReply()));
    let resumeAnswer: (() => void) | null = null;
    server.handle('resume', () => new Promise((resolve) => (resumeAnswer = () => resolve(ok(meshReply())))));
    const c = meshCall();
    await c.join();
    server.disconnectAll();
    await until(() => resumeAnswer !== null, 'resume sent');
    await expect(c.room.request('stats:share', { upKbps: 1, downKbps: 1, videoUpKbps: 1, rttMs: null, pingMs: null, encoders: 0, connections: 0, limitReason: null }))
      .rejects.toMatchObject({ failure: { code: 'NOT_JOINED' } });
    resumeAnswer!();
    await until(() => c.getSnapshot().signaling === 'connected', 'resumed');
    expect(server.requests.some((r) => r.event === 'stats:share')).toBe(false);
  });

  it('gives up with SIGNALING_LOST when the server never comes back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      server.handle('join', () => ok(meshReply()));
      const c = meshCall();
      await c.join();
      await server.close();
      await vi.advanceTimersByTimeAsync(120_000);
      await until(() => c.getSnapshot().status === 'failed', 'gave up');
      expect(c.getSnapshot().error).toMatchObject({ code: 'SIGNALING_LOST', message: expect.stringContaining('tries') });
    } finally {
      vi.useRealTimers();
    }
  });

  // socket.io-client drops a dead socket's acks silently, so BaseCall settles pending requests itself
  // on fail/leave; otherwise a caller awaiting join() (a make-before-break coordinator) hangs forever.
  it('settles join() once the call has failed for want of a socket', async () => {
    const c = meshCall(await closedPortUrl());
    const joined = c.join();
    await until(() => c.getSnapshot().status === 'failed', 'call failed');
    await within(joined, 'join()', 1_000);
  });

  it('fails with MEDIA_SETUP_FAILED when the browser cannot set up the media', async () => {
    scriptSfuRoom(server);
    const c = new SfuCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl: server.url }, async () => {
      throw new Error('no WebRTC here');
    });
    call = c;
    await c.join();
    expect(c.getSnapshot().error).toMatchObject({ code: 'MEDIA_SETUP_FAILED', message: expect.stringContaining('no WebRTC here') });
    // The browser's own codes never collide with the wire's, so a client code always means "local".
    expect(CLIENT_ERROR_CODES.filter((code) => (ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
  });

  it('sends one join request when join() is called twice', async () => {
    server.handle('join', () => ok(meshReply()));
    const c = meshCall();
    await Promise.all([c.join(), c.join()]);
    expect(server.requested('join')).toHaveLength(1);
    expect(c.getSnapshot().status).toBe('joined');
  });
});

describe('BaseCall room channel', () => {
  it('rejects requests with NOT_JOINED before joining and after leaving, and relays them while joined', async () => {
    server.handle('join', () => ok(meshReply()));
    server.handle('stats:server', () => ok([{ peerId: 'me', recvBitrate: 1, sendBitrate: 2, bytesReceived: 3, bytesSent: 4 }]));
    const c = meshCall();
    const notJoined = { failure: { code: 'NOT_JOINED' } };
    await expect(within(c.room.request('stats:server', {}), 'request before join')).rejects.toMatchObject(notJoined);
    await c.join();
    await expect(c.room.request('stats:server', {})).resolves.toEqual([expect.objectContaining({ peerId: 'me' })]);
    server.handle('stats:server', () => refuse('RATE_LIMITED'));
    const refused = await c.room.request('stats:server', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CallError);
    expect(refused).toMatchObject({ failure: { code: 'RATE_LIMITED' } });
    c.leave();
    await expect(within(c.room.request('stats:server', {}), 'request after leave')).rejects.toMatchObject(notJoined);
    expect(server.requested('stats:server')).toHaveLength(2);
  });

  it('delivers pushes to listeners registered before joining, across a rejoin, until they unsubscribe', async () => {
    server.handle('join', () => ok(meshReply()));
    const c = meshCall();
    const early: string[] = [];
    const witness: string[] = [];
    const unsubscribe = c.room.on('stats:peer', (s) => early.push(s.from));
    c.room.on('stats:peer', (s) => witness.push(s.from));
    await c.join();
    server.push('stats:peer', share('bob'));
    await until(() => witness.length === 1, 'first push');
    expect(early).toEqual(['bob']);

    // The socket is replaced on rejoin; the subscriptions stay.
    server.disconnectAll();
    await until(() => c.getSnapshot().status === 'failed', 'socket lost');
    await c.join();
    server.push('stats:peer', share('carol'));
    await until(() => witness.length === 2, 'push after rejoin');
    expect(early).toEqual(['bob', 'carol']);

    unsubscribe();
    server.push('stats:peer', share('dave'));
    await until(() => witness.length === 3, 'push after unsubscribe');
    expect(early).toEqual(['bob', 'carol']);
  });
});

describe('BaseCall in a cluster of server nodes', () => {
  it('moves to another node when its own stays unreachable, resumes its seat there, and keeps every listener', async () => {
    const other = await ScriptedServer.start();
    try {
      const cluster = (node: 'a' | 'b') => ({
        node,
        nodes: node === 'a' ? [{ id: 'a', url: server.url }, { id: 'b', url: other.url }] : [{ id: 'b', url: other.url }, { id: 'a', url: server.url }],
      });
      server.handle('join', () => ok({ ...meshReply(), cluster: cluster('a') }));
      other.handle('resume', ({ token }) => (token === 'token-me' ? ok({ ...meshReply(), cluster: cluster('b') }) : refuse('RESUME_REFUSED')));
      const c = meshCall();
      const pushes: string[] = [];
      c.room.on('stats:peer', (s) => pushes.push(s.from));
      await c.join();
      expect(c.getSnapshot().node).toBe('a');
      // Node a dies: its port closes, so every try there fails.
      server.disconnectAll();
      await server.close();
      await until(() => c.getSnapshot().signaling === 'connected' && c.getSnapshot().node === 'b', 'resumed on node b', 15_000);
      expect(other.requests.map((r) => r.event)).toEqual(['resume']);
      expect(c.getSnapshot()).toMatchObject({ status: 'joined', selfId: 'me' });
      // The listeners moved with the socket: the engine's own (roster) and the managers' (stats).
      other.push('room:roster', { peers: [peer('me'), peer('bob')] });
      other.push('stats:peer', share('bob'));
      await until(() => ids(c).includes('bob') && pushes.includes('bob'), 'pushes from node b');
    } finally {
      await other.close();
    }
  });
});

describe('BaseCall roster', () => {
  it('adds and removes peers from roster pushes, never lists us, and keeps a roster that came while joining', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]);
    // Carol joins between our join request and its answer: the roster push beats the reply.
    server.tap('join', (_p, socket) => {
      socket.emit('room:roster', { peers: [peer('me'), peer('bob'), peer('carol')] });
    });
    const c = receiveOnlySfuCall();
    await c.join();
    expect(ids(c)).toEqual(['bob', 'carol']);
    expect(c.getSnapshot().peers[0]).toMatchObject({ name: 'name-bob', stream: null, connectionState: 'new' });

    server.push('room:roster', { peers: [peer('carol', { audio: false, video: true }), peer('me')] });
    await until(() => !ids(c).includes('bob'), 'bob removed');
    expect(ids(c)).toEqual(['carol']);
    expect(c.getSnapshot().peers[0].media).toEqual({ audio: false, video: true });

    server.push('room:roster', { peers: [peer('me'), peer('dave'), peer('carol')] });
    await until(() => ids(c).length === 2, 'dave added');
    expect(ids(c)).toEqual(['dave', 'carol']);
    server.push('room:roster', { peers: [peer('me')] });
    await until(() => ids(c).length === 0, 'everyone gone');
  });
});

describe('BaseCall roster after a server restart', () => {
  it('ignores a roster without us: one pushed before our join reached the room (the others leaving during an SFU rebuild) must not replace the join reply', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]);
    // Made before our join was handled (it lacks us), delivered before the reply.
    server.tap('join', (_p, socket) => {
      socket.emit('room:roster', { peers: [] });
    });
    const c = receiveOnlySfuCall();
    await c.join();
    expect(ids(c)).toEqual(['bob']);
    // Once joined, a stale roster without us changes nothing; a real one does.
    server.push('room:roster', { peers: [peer('carol')] });
    server.push('room:roster', { peers: [peer('me'), peer('bob'), peer('dave')] });
    await until(() => ids(c).length === 2, 'dave added');
    expect(ids(c)).toEqual(['bob', 'dave']);
  });

  it("shows a peer's reconnecting flag from roster pushes", async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]);
    const c = receiveOnlySfuCall();
    await c.join();
    server.push('room:roster', { peers: [peer('me'), { ...peer('bob'), reconnecting: true }] });
    await until(() => !!c.getSnapshot().peers[0]?.reconnecting, 'bob reconnecting');
    server.push('room:roster', { peers: [peer('me'), peer('bob')] });
    await until(() => !c.getSnapshot().peers[0]?.reconnecting, 'bob back');
  });

  it('a seat rebuilt from its token keeps peers who are not back yet for holdMs, then drops those still missing', async () => {
    scriptSfuRoom(server, 'me', [peer('bob'), peer('carol')]);
    // The restarted server knows only us and bob so far.
    server.handle('resume', () => ok({ ...meshReply(), mode: 'sfu', peers: [peer('me'), peer('bob')], restored: { holdMs: 600 } }));
    const c = receiveOnlySfuCall();
    await c.join();
    server.disconnectAll();
    await until(() => c.getSnapshot().signaling === 'reconnecting', 'reconnecting');
    await until(() => c.getSnapshot().signaling === 'connected', 'resumed');
    expect(c.getSnapshot().peers.map((p) => [p.id, !!p.reconnecting])).toEqual([['bob', false], ['carol', true]]);
    // Carol comes back within the hold: one tile, no longer reconnecting, never removed meanwhile.
    server.push('room:roster', { peers: [peer('me'), peer('bob'), peer('carol')] });
    await until(() => c.getSnapshot().peers.every((p) => !p.reconnecting), 'carol back');
    expect(ids(c)).toEqual(['bob', 'carol']);
    // Bob is gone for good: held until the hold ends, then dropped.
    server.push('room:roster', { peers: [peer('me'), peer('carol')] });
    await until(() => c.getSnapshot().peers.some((p) => p.id === 'bob' && p.reconnecting), 'bob held');
    await until(() => !ids(c).includes('bob'), 'bob dropped after the hold');
    expect(ids(c)).toEqual(['carol']);
  });
});

describe('BaseCall TURN credential refresh', () => {
  it('refreshes before the credentials expire, applies them, retries a refusal a minute later and stops on leave', async () => {
    // Only the engine's timers are faked (the server pings every 10 minutes, so none fire here).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const turn = (credential: string) => [{ urls: ['turn:turn.example:3478'], username: 'u', credential }];
    scriptSfuRoom(server, 'me', [], { iceServers: turn('first'), iceTtlSeconds: 100 });
    let refreshes = 0;
    server.handle('ice:refresh', () => (++refreshes === 2 ? refuse('INTERNAL') : ok({ iceServers: turn(`fresh-${refreshes}`), iceTtlSeconds: 50 })));
    const c = receiveOnlySfuCall();
    await c.join();
    const update = vi.spyOn(transports[0], 'updateIceServers');

    await vi.advanceTimersByTimeAsync(79_000); // 80% of the 100 s lifetime
    expect(server.requested('ice:refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => update.mock.calls.length === 1, 'fresh credentials applied');
    expect(update).toHaveBeenCalledWith({ iceServers: [expect.objectContaining({ credential: 'fresh-1' })] });

    await vi.advanceTimersByTimeAsync(39_000); // next: 80% of the new 50 s lifetime
    expect(server.requested('ice:refresh')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => warn.mock.calls.length === 1, 'refusal noticed');

    await vi.advanceTimersByTimeAsync(59_000);
    expect(server.requested('ice:refresh')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => update.mock.calls.length === 2, 'retry applied');
    expect(update).toHaveBeenLastCalledWith({ iceServers: [expect.objectContaining({ credential: 'fresh-3' })] });

    c.leave();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.requested('ice:refresh')).toHaveLength(3);
  });
});
