// A screen share on the SFU over real Socket.IO with a real mediasoup worker: a second video producer
// whose `source` reaches the others (announcement, list, consumer), validated on the way in, and
// closed by its own peer only (sfu:closeProducer), which makes the others drop their consumer.
import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ConsumerOptions, ProducerInfo, TransportOptions } from '../../../signaling/protocol';
import { audioRtpParameters, videoRtpParameters } from '../sfu/helpers';
import { joinAs, nextEvent, request } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const rig = useSfuHarness();

const joinSfu = (roomId: string, name: string) => joinAs(rig.h, { roomId, name, mode: 'sfu' });

async function transport(socket: Socket, direction: 'send' | 'recv'): Promise<string> {
  const t = await request<TransportOptions>(socket, 'sfu:createTransport', { direction });
  if (!t.ok) throw new Error(`no ${direction} transport: ${t.error.message}`);
  return t.data.id;
}

/** Each producer on a transport needs its own mid and ssrcs. */
let nextSsrc = 30_000_000;
const video = (mid: string) => ({ ...videoRtpParameters((nextSsrc += 10)), mid });

async function produce(socket: Socket, payload: Record<string, unknown>): Promise<string> {
  const r = await request<{ producerId: string }>(socket, 'sfu:produce', payload);
  if (!r.ok) throw new Error(`produce refused: ${r.error.code} ${r.error.message}`);
  return r.data.producerId;
}

describe('screen sharing on the SFU', () => {
  it('carries the source to the others, refuses a source that does not fit its kind, and lets only the sharer close it', async () => {
    const a = await joinSfu('share-1', 'A');
    const b = await joinSfu('share-1', 'B');
    const send = await transport(a.socket, 'send');
    await transport(b.socket, 'recv');

    // A screen must be video, a mic audio; an unknown source is no source at all.
    for (const bad of [
      { kind: 'audio', rtpParameters: audioRtpParameters(), source: 'screen' },
      { kind: 'video', rtpParameters: videoRtpParameters(), source: 'mic' },
      { kind: 'video', rtpParameters: videoRtpParameters(), source: 'slides' },
    ]) {
      expect(await request(a.socket, 'sfu:produce', { transportId: send, ...bad }), JSON.stringify(bad.source)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }

    // The camera without a source (older clients) is a camera; the screen says so.
    const cameraId = await produce(a.socket, { transportId: send, kind: 'video', rtpParameters: video('1') });
    const announced = nextEvent<ProducerInfo>(b.socket, 'sfu:newProducer');
    const screenId = await produce(a.socket, { transportId: send, kind: 'video', rtpParameters: video('2'), source: 'screen' });
    expect(await announced).toEqual({ producerId: screenId, peerId: a.reply.selfId, kind: 'video', source: 'screen' });
    const listed = await request<ProducerInfo[]>(b.socket, 'sfu:listProducers', {});
    expect(listed.ok && Object.fromEntries(listed.data.map((p) => [p.producerId, p.source]))).toEqual({ [cameraId]: 'camera', [screenId]: 'screen' });
    const consumed = await request<ConsumerOptions>(b.socket, 'sfu:consume', { producerId: screenId, rtpCapabilities: b.reply.routerRtpCapabilities });
    expect(consumed).toMatchObject({ ok: true, data: { producerId: screenId, peerId: a.reply.selfId, kind: 'video', source: 'screen' } });

    // Nobody closes another's producer: B gets NOT_FOUND and A's share goes on.
    expect(await request(b.socket, 'sfu:closeProducer', { producerId: screenId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining(screenId) },
    });
    expect(await request(b.socket, 'sfu:closeProducer', { producerId: '' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // A stops sharing: the room hears producerClosed, B's consumer is closed, the camera stays.
    const producerClosed = nextEvent<{ producerId: string; peerId: string }>(b.socket, 'sfu:producerClosed');
    const consumerClosed = nextEvent<{ consumerId: string; producerId: string }>(b.socket, 'sfu:consumerClosed');
    expect(await request(a.socket, 'sfu:closeProducer', { producerId: screenId })).toEqual({ ok: true, data: null });
    expect(await producerClosed).toEqual({ producerId: screenId, peerId: a.reply.selfId });
    expect(await consumerClosed).toMatchObject({ producerId: screenId });
    const after = await request<ProducerInfo[]>(b.socket, 'sfu:listProducers', {});
    expect(after.ok && after.data.map((p) => p.producerId)).toEqual([cameraId]);
    expect(await request(a.socket, 'sfu:closeProducer', { producerId: screenId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Sharing again is a new producer (stop and start do not pile up against the per-peer limit).
    for (let i = 0; i < 4; i++) {
      const again = await produce(a.socket, { transportId: send, kind: 'video', rtpParameters: video(`${3 + i}`), source: 'screen' });
      expect((await request(a.socket, 'sfu:closeProducer', { producerId: again })).ok).toBe(true);
    }
  });
});
