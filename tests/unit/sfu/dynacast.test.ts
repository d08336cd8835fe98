// Dynacast on a real mediasoup router: which consumers count towards a producer's needed layer
// (resumed ones by their preferred layer, paused ones not at all, a pipe to another node as the top
// layer), and which producers are tracked (simulcast cameras only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import type { ProducerLayers } from '../../../signaling/protocol';
import { MEDIA_CODECS } from '../../../server/sfu/config';
import { Dynacast } from '../../../server/sfu/dynacast';
import type { MediasoupSfu } from '../../../server/sfu/index';
import { startSfu, videoRtpParameters, waitUntil } from './helpers';

const DELAY = 150;
let sfu: MediasoupSfu;
let router: types.Router;

beforeAll(async () => {
  sfu = await startSfu();
  await sfu.addPeer('dynacast-room', 'owner');
  router = await sfu.workerOf('dynacast-room')!.createRouter({ mediaCodecs: MEDIA_CODECS });
});
afterAll(async () => {
  router?.close();
  await sfu?.close();
});

async function rig() {
  const told: ProducerLayers[] = [];
  const dynacast = new Dynacast((ownerId, layers) => {
    expect(ownerId).toBe('owner');
    told.push(layers);
  }, DELAY);
  dynacast.watch(router);
  const transport = () => router.createWebRtcTransport({ listenIps: [{ ip: '127.0.0.1' }] });
  const send = await transport();
  const recv = await transport();
  const producer = await send.produce({ kind: 'video', rtpParameters: videoRtpParameters(Math.floor(Math.random() * 1e8)) as unknown as types.RtpParameters, appData: { source: 'camera' } });
  dynacast.addProducer(producer, 'owner');
  const consume = () => recv.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
  const layers = () => told.map((t) => t.maxSpatialLayer);
  const close = () => {
    send.close();
    recv.close();
  };
  return { dynacast, producer, consume, told, layers, close };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Dynacast', () => {
  it('counts resumed consumers by their preferred layer and leaves paused ones out', async () => {
    const r = await rig();
    const consumer = await r.consume();
    expect(consumer.type).toBe('simulcast');
    // Created paused, it needs nothing: with no other consumer only layer 0 is needed, after the delay.
    await waitUntil(() => r.layers().length === 1);
    expect(r.told).toEqual([{ producerId: r.producer.id, maxSpatialLayer: 0 }]);
    await consumer.resume(); // mediasoup starts it at the top layer
    expect(r.layers()).toEqual([0, 1]);
    await r.dynacast.setPreferredLayers(consumer, 0);
    expect(r.dynacast.demandOf(r.producer.id)).toEqual({ wanted: 0, applied: 1 });
    await waitUntil(() => r.layers().length === 3);
    expect(r.layers()).toEqual([0, 1, 0]);
    await r.dynacast.setPreferredLayers(consumer, 1);
    expect(r.layers()).toEqual([0, 1, 0, 1]);
    await consumer.pause();
    await waitUntil(() => r.layers().length === 5);
    expect(r.layers()).toEqual([0, 1, 0, 1, 0]);
    r.close();
  });

  it('counts a pipe consumer (another node) as needing the top layer until it closes', async () => {
    const r = await rig();
    const consumer = await r.consume();
    await consumer.resume();
    await r.dynacast.setPreferredLayers(consumer, 0);
    const pipe = await router.createPipeTransport({ listenIp: '127.0.0.1' });
    const piped = await pipe.consume({ producerId: r.producer.id });
    expect(piped.type).toBe('pipe');
    await sleep(3 * DELAY);
    expect(r.layers()).toEqual([]); // the pipe keeps the top layer on
    piped.close();
    await waitUntil(() => r.layers().length === 1);
    expect(r.layers()).toEqual([0]);
    pipe.close();
    r.close();
  });

  it('tracks simulcast cameras only, and refuses a layer choice on a single-layer consumer', async () => {
    const r = await rig();
    const send = await router.createWebRtcTransport({ listenIps: [{ ip: '127.0.0.1' }] });
    const one = videoRtpParameters(Math.floor(Math.random() * 1e8));
    const screen = await send.produce({ kind: 'video', rtpParameters: { ...one, encodings: [one.encodings[0]] } as unknown as types.RtpParameters, appData: { source: 'screen' } });
    r.dynacast.addProducer(screen, 'owner');
    expect(r.dynacast.demandOf(screen.id)).toBeNull();
    expect(r.dynacast.demandOf(r.producer.id)).toEqual({ wanted: 0, applied: 1 });
    const recv = await router.createWebRtcTransport({ listenIps: [{ ip: '127.0.0.1' }] });
    const screenConsumer = await recv.consume({ producerId: screen.id, rtpCapabilities: router.rtpCapabilities });
    await expect(r.dynacast.setPreferredLayers(screenConsumer, 0)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Its producer closing forgets it.
    r.producer.close();
    expect(r.dynacast.demandOf(r.producer.id)).toBeNull();
    send.close();
    recv.close();
    r.close();
  });
});
