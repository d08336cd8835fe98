// SfuCall's transports, producers and consume/drop bookkeeping, against a scripted Socket.IO server.
// Mocked, because browsers' WebRTC does not exist in Node: the mediasoup-client Device runs on
// mediasoup-client's own FakeHandler (real Device/Transport/Producer/Consumer code, fake RTP
// stack), MediaStream is a minimal stand-in and local tracks come from fake-mediastreamtrack.
// Real: SfuCall, BaseCall, socket.io-client and a socket.io server whose answers each test scripts.
import { Device, type types } from 'mediasoup-client';
import * as fake from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallStatus } from '../../../app/lib/call/engine';
import { defaultSource } from '../../../signaling/protocol';
import { SfuCall } from '../../../app/lib/call/sfu-call';
import { fakeLocalStream, installFakeMediaStream } from './fake-media';
import { deferred, peer, refuse, scriptSfuRoom, ScriptedServer, until, within, type RemoteProducer } from './scripted-server';

interface MediaLog {
  transports: types.Transport[];
  producers: types.Producer[];
  consumers: types.Consumer[];
}

let server: ScriptedServer;
let call: SfuCall | null = null;
let media: MediaLog;

beforeAll(installFakeMediaStream);
afterAll(() => vi.unstubAllGlobals());
beforeEach(async () => {
  server = await ScriptedServer.start();
  media = { transports: [], producers: [], consumers: [] };
});
afterEach(async () => {
  call?.leave();
  call = null;
  await server.close();
  vi.restoreAllMocks();
});

/** A Device on FakeHandler whose transports, producers and consumers the test can inspect. */
async function fakeDevice(): Promise<types.Device> {
  const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
  device.observer.on('newtransport', (t: types.Transport) => {
    media.transports.push(t);
    t.observer.on('newproducer', (p: types.Producer) => media.producers.push(p));
    t.observer.on('newconsumer', (c: types.Consumer) => media.consumers.push(c));
  });
  return device;
}

function startCall(localStream: MediaStream | null = fakeLocalStream(), makeDevice = fakeDevice): SfuCall {
  call = new SfuCall({ roomId: 'room-1', name: 'me', localStream, serverUrl: server.url }, makeDevice);
  return call;
}

const peerOf = (c: SfuCall, id: string) => c.getSnapshot().peers.find((p) => p.id === id);
const kindsOf = (c: SfuCall, id: string) => (peerOf(c, id)?.stream?.getTracks().map((t) => t.kind) ?? []).sort();
const consumerOf = (producerId: string) => media.consumers.find((c) => c.producerId === producerId);
const prod = (peerId: string, kind: 'audio' | 'video', source = defaultSource(kind)): RemoteProducer => ({
  producerId: `${peerId}-${source === 'screen' ? source : kind}`, peerId, kind, source,
});

describe('SfuCall joining', () => {
  it('creates recv then send transports, produces audio and simulcast video and a ping channel, and consumes listed producers', async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    room.add(prod('bob', 'audio'));
    room.add(prod('bob', 'video'));
    const c = startCall();
    await c.join();

    expect(c.getSnapshot().status).toBe('joined');
    expect(server.requested('sfu:createTransport')).toEqual([{ direction: 'recv' }, { direction: 'send' }]);
    const produced = server.requested('sfu:produce');
    expect(produced.map((p) => [p.kind, p.paused])).toEqual([['audio', false], ['video', false]]);
    const layers = produced[1].rtpParameters.encodings.map((e: RTCRtpEncodingParameters) => [e.scaleResolutionDownBy, e.maxBitrate]);
    expect(layers).toEqual([[4, 150_000], [1, 900_000]]);
    expect(server.requested('sfu:produceData')).toEqual([expect.objectContaining({ label: 'ping' })]);
    // Both transports ran DTLS through the server, with the ids the server gave them.
    const connected = server.requested('sfu:connectTransport').map((p) => p.transportId).sort();
    expect(connected).toEqual(media.transports.map((t) => t.id).sort());

    expect(server.requested('sfu:consume').map((p) => p.producerId).sort()).toEqual(['bob-audio', 'bob-video']);
    expect(server.requested('sfu:consume')[0].rtpCapabilities.codecs.length).toBeGreaterThan(0);
    const resumed = server.requested('sfu:resumeConsumer').map((p) => p.consumerId).sort();
    expect(resumed).toEqual(room.consumers.map((x) => x.id).sort());
    expect(c.getSnapshot().peers.map((p) => p.id)).toEqual(['bob']);
    const tracks = peerOf(c, 'bob')?.stream?.getTracks() ?? [];
    expect(tracks.map((t) => t.id).sort()).toEqual(media.consumers.map((x) => x.track.id).sort());
  });

  it('consumes a producer once when it is both announced and listed', async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    // One producer appears while our transports are being created, another while we list them.
    server.tap('sfu:createTransport', (_p, socket) => {
      room.add(prod('bob', 'audio'));
      socket.emit('sfu:newProducer', prod('bob', 'audio'));
    });
    server.tap('sfu:listProducers', (_p, socket) => {
      room.add(prod('bob', 'video'));
      socket.emit('sfu:newProducer', prod('bob', 'video'));
    });
    const c = startCall();
    await c.join();
    await until(() => kindsOf(c, 'bob').length === 2, 'both of bob tracks shown');
    expect(server.requested('sfu:consume').map((p) => p.producerId).sort()).toEqual(['bob-audio', 'bob-video']);
    expect(media.consumers).toHaveLength(2);
  });

  it('joins receive-only without a send transport', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]).add(prod('bob', 'video'));
    const c = startCall(null);
    await c.join();
    expect(c.getSnapshot()).toMatchObject({ status: 'joined', localStream: null, localMedia: { audio: false, video: false } });
    expect(server.requested('sfu:createTransport')).toEqual([{ direction: 'recv' }]);
    expect(server.requested('sfu:produce')).toEqual([]);
    expect(server.requested('sfu:produceData')).toEqual([]);
    expect(kindsOf(c, 'bob')).toEqual(['video']);
  });

  it('produces a muted microphone paused', async () => {
    scriptSfuRoom(server);
    const stream = fakeLocalStream();
    stream.getAudioTracks()[0].enabled = false;
    await startCall(stream).join();
    expect(server.requested('sfu:produce').map((p) => [p.kind, p.paused])).toEqual([['audio', true], ['video', false]]);
    expect(media.producers.find((p) => p.kind === 'audio')?.paused).toBe(true);
  });

  it('a reset while the device loads stops that setup and rebuilds once, never failing the call', async () => {
    scriptSfuRoom(server);
    const gate = deferred();
    const c = startCall(fakeLocalStream(), async () => {
      await gate.promise;
      return fakeDevice();
    });
    const statuses: CallStatus[] = [];
    c.subscribe(() => statuses.push(c.getSnapshot().status));
    const joined = c.join();
    await until(() => server.requested('join').length === 1 && c.getSnapshot().selfId !== null, 'join answered');
    server.push('sfu:reset', { reason: 'worker died' });
    await until(() => server.requested('join').length === 2, 'joined again');
    gate.resolve();
    await within(joined, 'join()');
    await until(() => c.getSnapshot().status === 'joined', 'rebuilt');
    expect(statuses).not.toContain('failed');
    // Only the rebuild set transports up: the overtaken setup stopped before creating any.
    expect(server.requested('sfu:createTransport').map((p) => p.direction)).toEqual(['recv', 'send']);
  });
});

describe('SfuCall during a call', () => {
  it('consumes a producer announced after joining into a fresh stream for its peer', async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    room.add(prod('bob', 'audio'));
    const c = startCall();
    await c.join();
    const before = peerOf(c, 'bob')?.stream;
    server.push('sfu:newProducer', prod('me', 'audio')); // our own: never consumed
    room.add(prod('bob', 'video'));
    server.push('sfu:newProducer', prod('bob', 'video'));
    await until(() => kindsOf(c, 'bob').length === 2, 'bob video shown');
    expect(peerOf(c, 'bob')?.stream).not.toBe(before);
    await until(() => server.requested('sfu:resumeConsumer').length === 2, 'video consumer resumed');
    expect(server.requested('sfu:consume').map((p) => p.producerId)).toEqual(['bob-audio', 'bob-video']);
  });

  it('closes the consumer of a closed producer and drops its track from the stream', async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    room.add(prod('bob', 'audio'));
    room.add(prod('bob', 'video'));
    const c = startCall();
    await c.join();
    server.push('sfu:producerClosed', { producerId: 'bob-video', peerId: 'bob' });
    await until(() => kindsOf(c, 'bob').join() === 'audio', 'video track dropped');
    expect(consumerOf('bob-video')?.closed).toBe(true);
    expect(consumerOf('bob-video')?.track.readyState).toBe('ended');
    expect(consumerOf('bob-audio')?.closed).toBe(false);
    // The server closing our consumer (not the producer) is handled the same way.
    server.push('sfu:consumerClosed', { consumerId: consumerOf('bob-audio')!.id, producerId: 'bob-audio' });
    await until(() => peerOf(c, 'bob')?.stream === null, 'bob has no stream left');
    expect(consumerOf('bob-audio')?.closed).toBe(true);
  });

  it('closes and never shows a consumer whose producer closed while sfu:consume was in flight', async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    room.add(prod('bob', 'audio'));
    const c = startCall();
    await c.join();
    let videoShown = false;
    c.subscribe(() => (videoShown ||= !!peerOf(c, 'bob')?.stream?.getVideoTracks().length));
    const gate = deferred();
    server.tap('sfu:consume', async ({ producerId }) => {
      if (producerId === 'bob-video') await gate.promise;
    });
    room.add(prod('bob', 'video'));
    server.push('sfu:newProducer', prod('bob', 'video'));
    await until(() => server.requested('sfu:consume').some((p) => p.producerId === 'bob-video'), 'video consume sent');
    server.push('sfu:producerClosed', { producerId: 'bob-video', peerId: 'bob' });
    gate.resolve(); // the server answers with a consumer it made just before the producer went away

    await until(() => consumerOf('bob-video')?.closed === true, 'late consumer closed');
    expect(videoShown).toBe(false);
    expect(kindsOf(c, 'bob')).toEqual(['audio']);
    expect(server.requested('sfu:resumeConsumer').map((p) => p.consumerId)).not.toContain(consumerOf('bob-video')!.id);
    const [recv] = (await c.collectRawStats()).filter((s) => s.role === 'recv');
    expect(Object.keys(recv.peerByTrack ?? {})).toEqual([consumerOf('bob-audio')!.track.id]);
  });

  it("drops a departed peer's consumers and stream, and keeps the others'", async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob'), peer('carol')]);
    for (const p of [prod('bob', 'audio'), prod('bob', 'video'), prod('carol', 'audio')]) room.add(p);
    const c = startCall();
    await c.join();
    server.push('room:roster', { peers: [peer('me'), peer('carol')] });
    await until(() => !peerOf(c, 'bob'), 'bob gone');
    expect(media.consumers.filter((x) => x.producerId.startsWith('bob')).every((x) => x.closed)).toBe(true);
    expect(consumerOf('carol-audio')?.closed).toBe(false);
    expect(kindsOf(c, 'carol')).toEqual(['audio']);
    const [recv] = (await c.collectRawStats()).filter((s) => s.role === 'recv');
    expect(Object.values(recv.peerByTrack ?? {})).toEqual(['carol']);
    // If the same id shows up again it starts without the old (ended) tracks.
    server.push('room:roster', { peers: [peer('me'), peer('carol'), peer('bob')] });
    await until(() => !!peerOf(c, 'bob'), 'bob back');
    expect(peerOf(c, 'bob')?.stream).toBeNull();
  });

  it('keeps consuming other producers when the server refuses one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    room.add(prod('bob', 'audio'));
    room.add(prod('bob', 'video'));
    let refuseAudio = true;
    server.tap('sfu:consume', ({ producerId }) => (refuseAudio && producerId === 'bob-audio' ? refuse('NOT_FOUND') : undefined));
    const c = startCall();
    await c.join();
    expect(c.getSnapshot().status).toBe('joined');
    expect(kindsOf(c, 'bob')).toEqual(['video']);
    expect(warn).toHaveBeenCalled();
    // The refusal is not remembered as "already consuming": a later announcement is consumed.
    refuseAudio = false;
    server.push('sfu:newProducer', prod('bob', 'audio'));
    await until(() => kindsOf(c, 'bob').length === 2, 'bob audio consumed on the second try');
  });

  it('rebuilds transports, producers and consumers on sfu:reset, keeping the camera', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]).add(prod('bob', 'audio'));
    const stream = fakeLocalStream();
    const c = startCall(stream);
    await c.join();
    const before = [...media.transports];
    // Each change of status (other parts of the snapshot change meanwhile too).
    const statuses: CallStatus[] = [c.getSnapshot().status];
    c.subscribe(() => {
      if (statuses.at(-1) !== c.getSnapshot().status) statuses.push(c.getSnapshot().status);
    });
    server.push('sfu:reset', { reason: 'worker died' });
    await until(() => server.requested('join').length === 2 && c.getSnapshot().status === 'joined', 'rebuilt');
    await until(() => c.getSnapshot().peers.some((p) => p.id === 'bob' && p.stream !== null), 'bob consumed again');
    expect(statuses).toEqual(['joined', 'joining', 'joined']); // dark for a moment, never failed
    expect(before.every((t) => t.closed)).toBe(true);
    expect(media.transports.filter((t) => !t.closed)).toHaveLength(2);
    expect(c.getSnapshot().error).toBeNull();
    expect(server.disconnects).toBe(0);
    expect(stream.getTracks().map((t) => t.readyState)).toEqual(['live', 'live']);
  });

  it('pauses and resumes the audio producer with the microphone', async () => {
    scriptSfuRoom(server);
    const stream = fakeLocalStream();
    const c = startCall(stream);
    await c.join();
    const audio = media.producers.find((p) => p.kind === 'audio')!;
    const video = media.producers.find((p) => p.kind === 'video')!;
    c.setMicEnabled(false);
    expect(audio.paused).toBe(true);
    expect(video.paused).toBe(false);
    expect(stream.getAudioTracks()[0].enabled).toBe(false);
    await until(() => server.requested('media:state').length === 1, 'media state sent');
    expect(server.requested('sfu:pauseProducer')).toEqual([{ producerId: audio.id }]);
    expect(server.requested('media:state')).toEqual([{ audio: false, video: true }]);
    c.setMicEnabled(true);
    expect(audio.paused).toBe(false);
    await until(() => server.requested('sfu:resumeProducer').length === 1, 'resume sent');
    expect(server.requested('sfu:resumeProducer')).toEqual([{ producerId: audio.id }]);
  });

  describe('ICE repair', () => {
    // A short repair policy, so the watchdog's delays pass within the test.
    const policy = { disconnectedMs: 60, connectingMs: 120, maxRepairs: 2 };
    const restarts = () => server.requests.filter((r) => r.event === 'sfu:restartIce').map((r) => r.payload.transportId);
    const newIce = { usernameFragment: 'fresh-ufrag', password: 'fresh-password', iceLite: true };

    async function joinedWithRepair() {
      scriptSfuRoom(server, 'me', [peer('bob')]).add(prod('bob', 'audio'));
      server.handle('sfu:restartIce', () => ({ ok: true, data: { iceParameters: newIce } }));
      call = new SfuCall({ roomId: 'room-1', name: 'me', localStream: fakeLocalStream(), serverUrl: server.url }, fakeDevice, policy);
      await call.join();
      const recv = media.transports.find((t) => t.direction === 'recv')!;
      const send = media.transports.find((t) => t.direction === 'send')!;
      // FakeHandler stands in for the browser's ICE/DTLS states: it said 'connecting' when set up.
      for (const t of [recv, send]) (t.handler as FakeHandler).setConnectionState('connected');
      return { c: call, recv, send, handler: recv.handler as FakeHandler };
    }

    it('restarts a failed transport with the new ICE parameters from the server, and the call goes on', async () => {
      const { c, recv, handler } = await joinedWithRepair();
      const restartIce = vi.spyOn(handler, 'restartIce');
      expect(peerOf(c, 'bob')?.connectionState).toBe('connected'); // the receive transport's state shows on peers
      handler.setConnectionState('failed');
      await until(() => restartIce.mock.calls.length === 1, 'restartIce on the transport');
      expect(restarts()).toEqual([recv.id]);
      expect(restartIce).toHaveBeenCalledWith(newIce);
      handler.setConnectionState('connected');
      expect(c.getSnapshot()).toMatchObject({ status: 'joined', error: null });
    });

    it('restarts a transport stuck connecting', async () => {
      const { send } = await joinedWithRepair();
      (send.handler as FakeHandler).setConnectionState('connecting');
      await until(() => restarts().length === 1, 'a restart of the stuck transport');
      expect(restarts()).toEqual([send.id]);
    });

    it('never restarts a transport that is only new (a lone receive-only participant has nothing to consume)', async () => {
      scriptSfuRoom(server, 'me', []);
      server.handle('sfu:restartIce', () => ({ ok: true, data: { iceParameters: newIce } }));
      call = new SfuCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl: server.url }, fakeDevice, policy);
      await call.join();
      expect(media.transports.map((t) => t.connectionState)).toEqual(['new']);
      await new Promise((r) => setTimeout(r, policy.connectingMs * 3));
      expect(restarts()).toEqual([]);
      expect(call.getSnapshot().status).toBe('joined');
    });

    it('fails the call with ICE_FAILED only when the repairs run out', async () => {
      const { c, handler } = await joinedWithRepair();
      handler.setConnectionState('failed');
      // The watchdog spaces repairs 1 s per repair already made (ice-watchdog.ts), so giving up takes
      // about 3 s of real time here: wait well past that, or a busy machine fails the test.
      await until(() => c.getSnapshot().status === 'failed', 'the call to fail', 10_000);
      expect(restarts()).toHaveLength(policy.maxRepairs);
      expect(c.getSnapshot().error).toMatchObject({ code: 'ICE_FAILED', message: expect.stringContaining('ICE restarts did not repair it') });
    });

    it('does not restart after leaving', async () => {
      const { c, handler } = await joinedWithRepair();
      handler.setConnectionState('disconnected');
      c.leave();
      await new Promise((r) => setTimeout(r, policy.disconnectedMs * 3));
      expect(restarts()).toEqual([]);
    });
  });

  it('closes both transports and the socket on leave, and leaves the local tracks running', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]).add(prod('bob', 'video'));
    const stream = fakeLocalStream();
    const c = startCall(stream);
    await c.join();
    c.leave();
    expect(c.getSnapshot()).toMatchObject({ status: 'left', peers: [], error: null });
    expect(media.transports).toHaveLength(2);
    expect(media.transports.every((t) => t.closed)).toBe(true);
    expect(media.consumers.every((x) => x.closed)).toBe(true);
    expect(stream.getTracks().map((t) => t.readyState)).toEqual(['live', 'live']);
    await until(() => server.disconnects === 1, 'server saw the socket close');
  });
});
