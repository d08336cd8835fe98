// Preferred layers and dynacast over real Socket.IO with a real mediasoup worker: sfu:setPreferredLayers
// refuses what it cannot do with an error reply, and the producer's owner (only it) hears
// sfu:producerLayers when its only consumer wants the thumbnail, and again when it wants the full layer.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ConsumerOptions, JoinReply, TransportOptions } from '../../../signaling/protocol';
import { DOWNGRADE_DELAY_MS } from '../../../server/sfu/dynacast';
import { audioRtpParameters, videoRtpParameters } from '../sfu/helpers';
import { joinAs, nextEvent, record, request } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const rig = useSfuHarness();

async function data<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const result = await request<T>(socket, event, payload);
  if (!result.ok) throw new Error(`${event} refused: ${result.error.code} ${result.error.message}`);
  return result.data;
}

/** A produces simulcast video (two encodings) and audio; B consumes both and resumes them. */
async function twoPeers(roomId: string) {
  const a = await joinAs(rig.h, { roomId, name: 'A', mode: 'sfu' });
  const b = await joinAs(rig.h, { roomId, name: 'B', mode: 'sfu' });
  const send = await data<TransportOptions>(a.socket, 'sfu:createTransport', { direction: 'send' });
  const video = await data<{ producerId: string }>(a.socket, 'sfu:produce', { transportId: send.id, kind: 'video', rtpParameters: videoRtpParameters() });
  const audio = await data<{ producerId: string }>(a.socket, 'sfu:produce', { transportId: send.id, kind: 'audio', rtpParameters: audioRtpParameters() });
  await data(b.socket, 'sfu:createTransport', { direction: 'recv' });
  const consume = async (producerId: string, who: { socket: Socket; reply: JoinReply }) => {
    const consumer = await data<ConsumerOptions>(who.socket, 'sfu:consume', { producerId, rtpCapabilities: who.reply.routerRtpCapabilities });
    await data(who.socket, 'sfu:resumeConsumer', { consumerId: consumer.id });
    return consumer.id;
  };
  return { a, b, videoProducer: video.producerId, videoConsumer: await consume(video.producerId, b), audioConsumer: await consume(audio.producerId, b) };
}

describe('sfu:setPreferredLayers', () => {
  it('refuses unknown consumers, others’ consumers, missing layers and bad input with error replies', async () => {
    const { a, b, videoConsumer, audioConsumer } = await twoPeers('layers-1');
    const refused = (socket: Socket, payload: unknown) => request(socket, 'sfu:setPreferredLayers', payload);
    expect(await refused(b.socket, { consumerId: 'no-such-consumer', spatialLayer: 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-consumer') },
    });
    // Someone else's consumer: A may not steer what B receives.
    expect(await refused(a.socket, { consumerId: videoConsumer, spatialLayer: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A layer the producer does not send, and a consumer with a single layer.
    expect(await refused(b.socket, { consumerId: videoConsumer, spatialLayer: 2 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('0 to 1') },
    });
    expect(await refused(b.socket, { consumerId: audioConsumer, spatialLayer: 0 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    for (const bad of [{ consumerId: videoConsumer, spatialLayer: -1 }, { consumerId: videoConsumer, spatialLayer: 0.5 }, { consumerId: videoConsumer, spatialLayer: 99 },
      { consumerId: videoConsumer }, { consumerId: videoConsumer, spatialLayer: '1' }, { consumerId: videoConsumer, spatialLayer: 0, extra: true }]) {
      expect(await refused(b.socket, bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    // The call goes on: a valid request is accepted.
    expect(await refused(b.socket, { consumerId: videoConsumer, spatialLayer: 1 })).toEqual({ ok: true, data: null });
  });

  it('tells the producer’s owner its highest needed layer: 0 after the delay, then 1 at once', async () => {
    const { a, b, videoProducer, videoConsumer } = await twoPeers('layers-2');
    const toB = record(b.socket, 'sfu:producerLayers');
    const toA = record<{ producerId: string; maxSpatialLayer: number }>(a.socket, 'sfu:producerLayers');
    const down = nextEvent<{ producerId: string; maxSpatialLayer: number }>(a.socket, 'sfu:producerLayers', DOWNGRADE_DELAY_MS + 5_000);
    const askedAt = Date.now();
    await data(b.socket, 'sfu:setPreferredLayers', { consumerId: videoConsumer, spatialLayer: 0 });
    expect(await down).toEqual({ producerId: videoProducer, maxSpatialLayer: 0 });
    // Debounced: not before the lower need held for the delay (a little slack for timer granularity).
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(DOWNGRADE_DELAY_MS - 100);
    expect(rig.sfu.counts().consumers).toBeGreaterThan(0);

    const up = nextEvent(a.socket, 'sfu:producerLayers', 5_000);
    await data(b.socket, 'sfu:setPreferredLayers', { consumerId: videoConsumer, spatialLayer: 1 });
    expect(await up).toEqual({ producerId: videoProducer, maxSpatialLayer: 1 });
    expect(toA).toHaveLength(2);
    expect(toB).toEqual([]);
  });
});
