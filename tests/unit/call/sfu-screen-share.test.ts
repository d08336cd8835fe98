// Screen sharing in an SFU call: our share as one more producer (source 'screen', one encoding),
// closed on the server when it stops (our button or the browser's own bar), and the others' shares
// consumed into their peer's `screen`, apart from their camera. mediasoup-client runs for real on
// its FakeHandler against a scripted Socket.IO server, as in sfu-call.test.ts.
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device, type types } from 'mediasoup-client';
import * as fake from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SfuCall } from '../../../app/lib/call/sfu-call';
import { SCREEN_MAX_BITRATE } from '../../../app/lib/call/video-encodings';
import type { RemoteProducer } from './scripted-server';
import { fakeLocalStream, installFakeMediaStream } from './fake-media';
import { peer, refuse, scriptSfuRoom, ScriptedServer, until } from './scripted-server';

let server: ScriptedServer;
let call: SfuCall | null = null;
let producers: types.Producer[];

beforeAll(installFakeMediaStream);
afterAll(() => vi.unstubAllGlobals());
beforeEach(async () => {
  server = await ScriptedServer.start();
  producers = [];
});
afterEach(async () => {
  call?.leave();
  call = null;
  await server.close();
});

async function fakeDevice(): Promise<types.Device> {
  const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
  device.observer.on('newtransport', (t: types.Transport) => t.observer.on('newproducer', (p: types.Producer) => producers.push(p)));
  return device;
}

async function joined(localStream: MediaStream | null, screen: MediaStream): Promise<SfuCall> {
  call = new SfuCall({ roomId: 'room-1', name: 'me', localStream, serverUrl: server.url, captureScreen: async () => screen }, fakeDevice);
  await call.join();
  return call;
}

const screenOf = (c: SfuCall, id: string) => c.getSnapshot().peers.find((p) => p.id === id)?.screen ?? null;
const streamOf = (c: SfuCall, id: string) => c.getSnapshot().peers.find((p) => p.id === id)?.stream ?? null;
const bobs = (kind: 'audio' | 'video', source: RemoteProducer['source']): RemoteProducer => ({ producerId: `bob-${source}`, peerId: 'bob', kind, source });

describe('SfuCall screen sharing', () => {
  it('produces the screen once as a screen source without simulcast, and closes it on the server when the browser stops it', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]);
    server.handle('sfu:closeProducer', () => ({ ok: true, data: null }));
    const screen = fakeLocalStream(['video']);
    const c = await joined(fakeLocalStream(), screen);
    await c.startScreenShare();

    const produced = server.requested('sfu:produce');
    expect(produced.map((p) => [p.kind, p.source])).toEqual([['audio', 'mic'], ['video', 'camera'], ['video', 'screen']]);
    expect(produced[2].rtpParameters.encodings.map((e: RTCRtpEncodingParameters) => e.maxBitrate)).toEqual([SCREEN_MAX_BITRATE]);
    const shared = producers.find((p) => p.track === screen.getVideoTracks()[0]);
    expect(shared?.appData).toMatchObject({ source: 'screen' });
    expect(c.getSnapshot().localScreen).toBe(screen);
    // The stats know the send transport's screen track, so the normalizer can give the share its own line.
    const send = (await c.collectRawStats()).find((r) => r.role === 'send');
    expect(send?.screenTracks).toEqual([screen.getVideoTracks()[0].id]);

    (screen.getVideoTracks()[0] as unknown as FakeMediaStreamTrack).remoteStop();
    await until(() => server.requested('sfu:closeProducer').length === 1, 'the screen producer is closed on the server');
    expect(server.requested('sfu:closeProducer')).toEqual([{ producerId: shared!.id }]);
    expect(shared?.closed).toBe(true);
    expect(c.getSnapshot().localScreen).toBeNull();
    // The camera goes on.
    expect(producers.filter((p) => !p.closed).map((p) => p.kind).sort()).toEqual(['audio', 'video']);
  });

  it('a participant who joined receive-only gets a send transport for its share', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]);
    const c = await joined(null, fakeLocalStream(['video']));
    expect(server.requested('sfu:createTransport')).toEqual([{ direction: 'recv' }]);
    await c.startScreenShare();
    expect(server.requested('sfu:createTransport')).toEqual([{ direction: 'recv' }, { direction: 'send' }]);
    expect(server.requested('sfu:produce').map((p) => p.source)).toEqual(['screen']);
  });

  it('a share the server refuses is not shown as on, and its capture is stopped', async () => {
    scriptSfuRoom(server, 'me', [peer('bob')]);
    const screen = fakeLocalStream(['video']);
    const c = await joined(fakeLocalStream(), screen);
    server.handle('sfu:produce', () => refuse('BAD_REQUEST', 'peer me already has 4 producers'));
    await expect(c.startScreenShare()).rejects.toThrow(/4 producers/);
    expect(c.getSnapshot().localScreen).toBeNull();
    expect(screen.getVideoTracks()[0].readyState).toBe('ended');
  });

  it("consumes another's share into its screen, apart from its camera, and drops it when its producer closes", async () => {
    const room = scriptSfuRoom(server, 'me', [peer('bob')]);
    room.add(bobs('video', 'camera'));
    room.add(bobs('video', 'screen'));
    const c = await joined(fakeLocalStream(), fakeLocalStream(['video']));
    await until(() => !!screenOf(c, 'bob') && !!streamOf(c, 'bob'), "bob's camera and screen arrive");
    const camera = streamOf(c, 'bob')!;
    expect(camera.getTracks()).toHaveLength(1);
    expect(screenOf(c, 'bob')!.getTracks()).toHaveLength(1);
    expect(screenOf(c, 'bob')!.getTracks()[0]).not.toBe(camera.getTracks()[0]);
    const recv = (await c.collectRawStats()).find((r) => r.role === 'recv');
    expect(recv?.screenTracks).toEqual([screenOf(c, 'bob')!.getTracks()[0].id]);

    server.push('sfu:producerClosed', { producerId: 'bob-screen', peerId: 'bob' });
    await until(() => screenOf(c, 'bob') === null, "bob's share goes");
    // The camera tile keeps its stream object: nothing re-attaches.
    expect(streamOf(c, 'bob')).toBe(camera);
  });

  it('refuses to share before joining', async () => {
    call = new SfuCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl: server.url, captureScreen: async () => fakeLocalStream(['video']) }, fakeDevice);
    await expect(call.startScreenShare()).rejects.toMatchObject({ failure: { code: 'NOT_JOINED' } });
  });
});
