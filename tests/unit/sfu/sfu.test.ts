// The SFU service against a real mediasoup worker: rooms, transports, produce/consume validation,
// and what closing a peer takes down with it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediasoupSfu } from '../../../server/sfu/index';
import type { SfuEvents } from '../../../signaling/sfu-service';
import {
  audioRtpParameters,
  expectServerError,
  nextEvent,
  startSfu,
  videoRtpParameters,
  waitUntil,
} from './helpers';

let sfu: MediasoupSfu;
afterEach(async () => {
  await sfu?.close();
});

describe('rooms and transports', () => {
  beforeEach(async () => {
    sfu = await startSfu({ numWorkers: 2 });
  });

  it('creates one router per room with Opus, VP8 and H264, spreading rooms over workers', async () => {
    const { routerRtpCapabilities } = await sfu.addPeer('room-a', 'alice');
    const codecs = (routerRtpCapabilities as { codecs: { mimeType: string; parameters?: Record<string, unknown> }[] })
      .codecs;
    const mimeTypes = codecs.map((c) => c.mimeType);
    expect(mimeTypes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
    const h264 = codecs.find((c) => c.mimeType === 'video/H264');
    expect(h264?.parameters).toMatchObject({ 'packetization-mode': 1, 'profile-level-id': '42e01f' });

    await sfu.addPeer('room-a', 'bob');
    await sfu.addPeer('room-b', 'carol');
    expect(sfu.counts()).toMatchObject({ rooms: 2, peers: 3, workers: 2 });
    expect(sfu.workerOf('room-a')).not.toBeNull();
    expect(sfu.workerOf('room-a')).not.toBe(sfu.workerOf('room-b'));
  });

  it('creates a room once under concurrent joins and refuses a peer in two rooms', async () => {
    await Promise.all([sfu.addPeer('room-c', 'p1'), sfu.addPeer('room-c', 'p2'), sfu.addPeer('room-c', 'p3')]);
    expect(sfu.counts()).toMatchObject({ rooms: 1, peers: 3 });
    await expectServerError(sfu.addPeer('room-d', 'p1'), 'ALREADY_IN_ROOM');
  });

  it('returns ICE, DTLS and SCTP parameters for a new transport', async () => {
    await sfu.addPeer('room-a', 'alice');
    const t = await sfu.createTransport('alice', 'send');
    expect(t.id).toMatch(/\S/);
    expect(t.iceParameters).toMatchObject({ usernameFragment: expect.any(String), password: expect.any(String) });
    const candidates = t.iceCandidates as { ip: string; protocol: string; port: number }[];
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.every((c) => c.ip === '127.0.0.1')).toBe(true);
    expect(candidates.every((c) => c.port >= 40000 && c.port <= 40999)).toBe(true);
    expect(candidates.map((c) => c.protocol)).toEqual(expect.arrayContaining(['udp', 'tcp']));
    expect((t.dtlsParameters as { fingerprints: unknown[] }).fingerprints.length).toBeGreaterThan(0);
    expect(t.sctpParameters).toBeDefined();
  });

  it('names unknown peers and transports in its errors', async () => {
    await expectServerError(sfu.createTransport('ghost', 'send'), 'NOT_IN_ROOM', /ghost/);
    await sfu.addPeer('room-a', 'alice');
    await expectServerError(
      sfu.connectTransport('alice', 'nope', { fingerprints: [] }),
      'NOT_FOUND',
      /^transport nope not found for peer alice$/,
    );
    const { id } = await sfu.createTransport('alice', 'send');
    await expectServerError(sfu.connectTransport('alice', id, { role: 'bogus' }), 'BAD_REQUEST', /invalid dtlsParameters/);
  });

  it("restarts ICE on the peer's own transport with new credentials, and never on another's", async () => {
    await sfu.addPeer('room-a', 'alice');
    await sfu.addPeer('room-a', 'bob');
    const t = await sfu.createTransport('alice', 'recv');
    const before = t.iceParameters as { usernameFragment: string; password: string };
    const { iceParameters } = await sfu.restartIce('alice', t.id);
    const after = iceParameters as { usernameFragment: string; password: string };
    expect(after.usernameFragment).toMatch(/\S/);
    expect(after.usernameFragment).not.toBe(before.usernameFragment);
    expect(after.password).not.toBe(before.password);
    await expectServerError(sfu.restartIce('bob', t.id), 'NOT_FOUND', /not found for peer bob/);
    await expectServerError(sfu.restartIce('ghost', t.id), 'NOT_IN_ROOM');
  });
});

describe('produce and consume', () => {
  let sendId: string;
  let bobRecvId: string;
  let caps: unknown;

  beforeEach(async () => {
    sfu = await startSfu();
    ({ routerRtpCapabilities: caps } = await sfu.addPeer('room', 'alice'));
    await sfu.addPeer('room', 'bob');
    sendId = (await sfu.createTransport('alice', 'send')).id;
    bobRecvId = (await sfu.createTransport('bob', 'recv')).id;
  });

  it('turns malformed rtpParameters into BAD_REQUEST', async () => {
    const err = await expectServerError(
      sfu.produce('alice', { transportId: sendId, kind: 'audio', rtpParameters: { codecs: [{ foo: 1 }] } }),
      'BAD_REQUEST',
      /^invalid rtpParameters: /,
    );
    expect(err.message.length).toBeGreaterThan('invalid rtpParameters: '.length);
    await expectServerError(
      sfu.produce('alice', { transportId: sendId, kind: 'video', rtpParameters: audioRtpParameters() }),
      'BAD_REQUEST',
      /^invalid rtpParameters: /,
    );
  });

  it('produces only on the peer’s own send transport', async () => {
    const rtpParameters = audioRtpParameters();
    await expectServerError(sfu.produce('bob', { transportId: sendId, kind: 'audio', rtpParameters }), 'NOT_FOUND', /bob/);
    await expectServerError(
      sfu.produce('bob', { transportId: bobRecvId, kind: 'audio', rtpParameters }),
      'BAD_REQUEST',
      /recv transport/,
    );
  });

  it('announces a producer, consumes it paused, and resumes it', async () => {
    const announced = nextEvent<SfuEvents['newProducer']>(sfu, 'newProducer');
    const { producerId } = await sfu.produce('alice', { transportId: sendId, kind: 'video', rtpParameters: videoRtpParameters() });
    expect(await announced).toEqual(['room', { producerId, peerId: 'alice', kind: 'video', source: 'camera' }]);
    expect(sfu.listProducers('bob')).toEqual([{ producerId, peerId: 'alice', kind: 'video', source: 'camera' }]);
    expect(sfu.listProducers('alice')).toEqual([]);

    const consumer = await sfu.consume('bob', producerId, caps);
    expect(consumer).toMatchObject({ producerId, peerId: 'alice', kind: 'video', source: 'camera' });
    expect((consumer.rtpParameters as { codecs: { mimeType: string }[] }).codecs[0].mimeType).toBe('video/VP8');
    await sfu.resumeConsumer('bob', consumer.id);
    await expectServerError(sfu.resumeConsumer('alice', consumer.id), 'NOT_FOUND', /consumer .* not found for peer alice/);

    await sfu.pauseProducer('alice', producerId);
    await sfu.resumeProducer('alice', producerId);
    await expectServerError(sfu.pauseProducer('bob', producerId), 'NOT_FOUND', /producer .* not found for peer bob/);
  });

  it('refuses to consume an unknown producer, its own producer, or with useless capabilities', async () => {
    await expectServerError(sfu.consume('bob', 'no-such-producer', caps), 'NOT_FOUND', /no-such-producer/);
    const { producerId } = await sfu.produce('alice', { transportId: sendId, kind: 'audio', rtpParameters: audioRtpParameters() });
    await expectServerError(sfu.consume('alice', producerId, caps), 'BAD_REQUEST', /own producer/);
    await expectServerError(sfu.consume('bob', producerId, { codecs: [] }), 'BAD_REQUEST', /rtpCapabilities/);
  });

  it('closing a peer closes its producers and the consumers others had of them', async () => {
    const { producerId: audioId } = await sfu.produce('alice', { transportId: sendId, kind: 'audio', rtpParameters: audioRtpParameters() });
    const { producerId: videoId } = await sfu.produce('alice', { transportId: sendId, kind: 'video', rtpParameters: videoRtpParameters() });
    const audioConsumer = await sfu.consume('bob', audioId, caps);
    const videoConsumer = await sfu.consume('bob', videoId, caps);
    expect(sfu.counts()).toMatchObject({ producers: 2, consumers: 2 });

    const producerClosed: SfuEvents['producerClosed'][] = [];
    const consumerClosed: SfuEvents['consumerClosed'][] = [];
    sfu.on('producerClosed', (...args) => producerClosed.push(args));
    sfu.on('consumerClosed', (...args) => consumerClosed.push(args));
    sfu.closePeer('alice');

    expect(producerClosed).toEqual(
      expect.arrayContaining([
        ['room', { producerId: audioId, peerId: 'alice' }],
        ['room', { producerId: videoId, peerId: 'alice' }],
      ]),
    );
    await waitUntil(() => consumerClosed.length === 2);
    expect(consumerClosed).toEqual(
      expect.arrayContaining([
        ['bob', { consumerId: audioConsumer.id, producerId: audioId }],
        ['bob', { consumerId: videoConsumer.id, producerId: videoId }],
      ]),
    );
    expect(sfu.counts()).toMatchObject({ rooms: 1, peers: 1, producers: 0, consumers: 0 });
    await expectServerError(sfu.createTransport('alice', 'send'), 'NOT_IN_ROOM');
    await expectServerError(sfu.resumeConsumer('bob', videoConsumer.id), 'NOT_FOUND');
    sfu.closePeer('alice'); // idempotent

    // The last peer out closes the room; no consumerClosed for a peer that is itself leaving.
    sfu.closePeer('bob');
    expect(sfu.counts()).toMatchObject({ rooms: 0, peers: 0 });
    expect(consumerClosed).toHaveLength(2);
  });
});
