// The media cascade between two nodes (two ClusterSfu, real mediasoup workers, internal HTTP on loopback):
// one crossing per stream, it follows its producer and dies with its node; bad requests; the Redis directory.
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSender } from '../../../scripts/kit/lib/rtp/sender';
import type { SinkPool } from '../../../scripts/kit/lib/rtp/sink';
import { CASCADE_PATHS } from '../../../server/cluster/cascade-protocol';
import { InMemoryProducerDirectory, RedisProducerDirectory } from '../../../server/cluster/producer-directory';
import type { SfuEvents } from '../../../signaling/sfu-service';
import { nextEvent, waitUntil } from '../sfu/helpers';
import {
  countConsumer,
  openSink,
  plainTransport,
  SECRET,
  startNode,
  startRedis,
  startSender,
  stopNode,
  vp8Capabilities,
  vp8RtpParameters,
  type TestNode,
} from './two-nodes';

const ROOM = 'cascade-room';
const directory = new InMemoryProducerDirectory();
const urls = new Map<string, string>();
let a: TestNode;
let b: TestNode;
let sender: SyntheticSender | undefined;
let sinks: SinkPool | undefined;

beforeAll(async () => {
  // B encrypts its pipes (SRTP); A (loopback) would not by itself but follows B's request.
  a = await startNode('node-a', [47200, 47299], directory, urls);
  b = await startNode('node-b', [47300, 47399], directory, urls, true);
  sinks = await openSink();
  await b.sfu.addPeer(ROOM, 'bob');
  await b.sfu.addPeer(ROOM, 'carol');
  await a.sfu.addPeer(ROOM, 'alice');
});

afterAll(async () => {
  sender?.close();
  sinks?.close();
  await stopNode(a);
  await stopNode(b);
});

/** Alice produces VP8 on node A (over a plain transport), announced once the directory has it. */
async function aliceProduces(ssrc: number, feed: boolean): Promise<string> {
  const transport = await plainTransport(a, ROOM, 'alice', 'send');
  const announced = nextEvent<SfuEvents['newProducer']>(a.sfu, 'newProducer');
  const { producerId } = await a.sfu.produce('alice', { transportId: transport.id, kind: 'video', rtpParameters: vp8RtpParameters(ssrc), source: 'camera' });
  const [roomId, info] = await announced;
  expect(roomId).toBe(ROOM);
  expect(info).toMatchObject({ producerId, peerId: 'alice', kind: 'video', source: 'camera' });
  expect(await directory.find(ROOM, producerId)).toMatchObject({ producerId, nodeId: 'node-a' });
  if (feed) sender = await startSender(ssrc, transport.tuple.localPort);
  return producerId;
}

/** Bob (plain sink) and Carol (WebRTC) on node B consume it at the same time. */
async function bobAndCarolConsume(producerId: string) {
  await b.sfu.createTransport('carol', 'recv');
  await plainTransport(b, ROOM, 'bob', 'recv', sinks!.port(0));
  const caps = vp8Capabilities(b.room(ROOM));
  const [bob, carol] = await Promise.all([b.sfu.consume('bob', producerId, caps), b.sfu.consume('carol', producerId, caps)]);
  expect(bob).toMatchObject({ producerId, peerId: 'alice', kind: 'video', source: 'camera' });
  expect(carol).toMatchObject({ producerId, peerId: 'alice' });
  return { bob, carol };
}

function closedConsumers(): { peerId: string; producerId: string }[] {
  const closed: { peerId: string; producerId: string }[] = [];
  b.sfu.on('consumerClosed', (peerId, info) => closed.push({ peerId, producerId: info.producerId }));
  return closed;
}

const bytesOf = (list: Awaited<ReturnType<TestNode['sfu']['crossNodeBytes']>>, nodeId: string, direction: 'in' | 'out') =>
  list.find((e) => e.nodeId === nodeId && e.direction === direction)?.bytes ?? 0;

async function post(node: TestNode, path: string, body: unknown, auth: string | null = SECRET, method = 'POST') {
  const response = await fetch(new URL(path, node.url), {
    method,
    headers: { 'content-type': 'application/json', ...(auth !== null ? { authorization: `Bearer ${auth}` } : {}) },
    body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
    signal: AbortSignal.timeout(3_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : null, headers: response.headers };
}

describe('one stream crosses once', () => {
  let producerId: string;

  it('pipes a remote producer once for two consumers, and RTP reaches a consumer on the other node', async () => {
    producerId = await aliceProduces(0x0a11ce01, true);
    // Bob's node lists Alice's producer from its directory view (refreshed every 200 ms here).
    // Listed on B at once: the directory is read when asked.
    expect((await b.sfu.listProducers('bob')).some((p) => p.producerId === producerId && p.peerId === 'alice')).toBe(true);
    const { bob } = await bobAndCarolConsume(producerId);
    const counter = countConsumer(sinks!, bob.rtpParameters);
    await b.sfu.resumeConsumer('bob', bob.id);

    expect(b.room(ROOM).pipeProducers.size).toBe(1);
    expect(b.sfu.pipedProducers()).toEqual([{ nodeId: 'node-a', direction: 'in', producers: 1 }]);
    expect(a.sfu.pipedProducers()).toEqual([{ nodeId: 'node-b', direction: 'out', producers: 1 }]);
    // A's router holds Alice's plain transport and exactly one pipe transport towards B, encrypted as B asked.
    expect((await a.room(ROOM).router.dump()).transportIds).toHaveLength(2);
    expect(a.sfu.cascade.links()).toEqual([expect.objectContaining({ roomId: ROOM, nodeId: 'node-b', direction: 'out', srtp: true, producers: 1 })]);
    expect(b.sfu.cascade.links()).toEqual([expect.objectContaining({ roomId: ROOM, nodeId: 'node-a', direction: 'in', srtp: true, producers: 1 })]);

    await waitUntil(() => counter.packets >= 30, 8_000);
    const sentBytes = sender!.packetsSent * (1000 + 12);
    const [fromA, toB] = [await a.sfu.crossNodeBytes(), await b.sfu.crossNodeBytes()];
    expect(bytesOf(toB, 'node-a', 'in')).toBeGreaterThan(0);
    // Two receivers on B, one copy across: less than what Alice sent in all (the pipe started later).
    expect(bytesOf(fromA, 'node-b', 'out')).toBeGreaterThan(counter.bytes * 0.5);
    expect(bytesOf(fromA, 'node-b', 'out')).toBeLessThan(sentBytes * 1.2);
  });

  it('follows the origin producer pausing and resuming', async () => {
    const copy = () => b.room(ROOM).pipeProducers.get(producerId)?.producer;
    await a.sfu.pauseProducer('alice', producerId);
    await waitUntil(() => copy()?.paused === true, 3_000);
    await a.sfu.resumeProducer('alice', producerId);
    await waitUntil(() => copy()?.paused === false, 3_000);
    // An event older than the state B holds (HTTP requests may overtake each other) changes nothing.
    const stale = await post(b, CASCADE_PATHS.producerEvent, { roomId: ROOM, nodeId: 'node-a', producerId, event: 'close', seq: 0 });
    expect(stale.status).toBe(204);
    expect(copy()?.closed).toBe(false);
  });

  it('closes the consumers on the other node when the origin producer closes', async () => {
    const closed = closedConsumers();
    a.sfu.closeProducer('alice', producerId);
    await waitUntil(() => closed.length === 2, 3_000);
    expect(closed.map((c) => c.peerId).sort()).toEqual(['bob', 'carol']);
    expect(closed.every((c) => c.producerId === producerId)).toBe(true);
    expect(b.room(ROOM).pipeProducers.size).toBe(0);
    expect(b.sfu.pipedProducers()).toEqual([{ nodeId: 'node-a', direction: 'in', producers: 0 }]);
    await waitUntil(() => a.sfu.pipedProducers()[0]?.producers === 0, 3_000);
    expect(await directory.find(ROOM, producerId)).toBeNull();
    sender?.close();
  });
});

describe('the internal channel', () => {
  it('refuses unauthenticated, malformed and pointless requests without side effects', async () => {
    const producerId = await aliceProduces(0x0a11ce02, false);
    const before = (await a.room(ROOM).router.dump()).transportIds.length;
    const request = { roomId: ROOM, producerId, nodeId: 'node-x', transportId: 't-1', ip: '127.0.0.1', port: 9 };

    const missing = await post(a, CASCADE_PATHS.pipe, request, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(a, CASCADE_PATHS.pipe, request, 'not-the-secret')).status).toBe(401);
    expect((await post(a, '/internal/cascade/nothing', request, null)).status).toBe(401);
    expect((await post(a, CASCADE_PATHS.pipe, null, SECRET, 'GET')).status).toBe(405);
    expect((await post(a, '/internal/cascade/nothing', request)).status).toBe(404);
    expect((await post(a, CASCADE_PATHS.pipe, '{not json')).status).toBe(400);
    const invalid = await post(a, CASCADE_PATHS.pipe, { ...request, port: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body?.error?.message).toMatch(/port/);
    expect((await post(a, CASCADE_PATHS.pipe, { ...request, extra: 1 })).status).toBe(400);
    expect((await post(a, CASCADE_PATHS.pipe, { ...request, producerId: 'no-such-producer' })).status).toBe(404);
    expect((await post(a, CASCADE_PATHS.pipe, 'x'.repeat(20_000))).status).toBe(413);
    expect((await post(a, CASCADE_PATHS.producerEvent, { roomId: ROOM, nodeId: 'node-x', producerId, event: 'close', seq: 1 })).status).toBe(404);
    expect((await post(a, CASCADE_PATHS.pipeClosed, { roomId: ROOM, nodeId: 'node-b', transportId: 'nope' })).status).toBe(404);
    // B pipes only with SRTP: a plain pipe request is refused before anything is made.
    const plain = await post(b, CASCADE_PATHS.pipe, { ...request, nodeId: 'node-a' });
    expect(plain.status).toBe(400);
    expect(plain.body?.error?.message).toMatch(/SRTP/);

    expect((await a.room(ROOM).router.dump()).transportIds).toHaveLength(before);
    expect(a.room(ROOM).ownProducer(producerId)?.producer.closed).toBe(false);
    expect(a.sfu.pipedProducers().every((p) => p.producers === 0)).toBe(true);
    a.sfu.closeProducer('alice', producerId);
  });
});

describe('a node that dies', () => {
  it('dropNode closes its pipes, their consumers, and its directory entries', async () => {
    const producerId = await aliceProduces(0x0a11ce03, false);
    await bobAndCarolConsume(producerId);
    expect(b.sfu.pipedProducers()).toContainEqual({ nodeId: 'node-a', direction: 'in', producers: 1 });
    const closed = closedConsumers();

    await b.sfu.dropNode('node-a');
    await waitUntil(() => closed.filter((c) => c.producerId === producerId).length === 2, 3_000);
    expect(b.room(ROOM).pipeProducers.size).toBe(0);
    expect(b.sfu.pipedProducers()).toEqual([]);
    expect((await b.sfu.listProducers('bob')).some((p) => p.producerId === producerId)).toBe(false);
    expect(await directory.find(ROOM, producerId)).toBeNull();
    // Bytes that crossed before stay counted.
    expect(bytesOf(await b.sfu.crossNodeBytes(), 'node-a', 'in')).toBeGreaterThan(0);

    await a.sfu.dropNode('node-b');
    expect(a.sfu.pipedProducers()).toEqual([]);
  });
});

describe('a room closing on either node', () => {
  it('closes the pair on both nodes: the receiving room first, then the origin room', async () => {
    const producerId = await aliceProduces(0x0a11ce04, false);
    await bobAndCarolConsume(producerId);
    expect(a.sfu.pipedProducers()).toEqual([{ nodeId: 'node-b', direction: 'out', producers: 1 }]);

    // Everyone leaves B: its room (and pipe) closes, and A hears it and closes its end.
    b.sfu.closePeer('bob');
    b.sfu.closePeer('carol');
    await waitUntil(() => a.sfu.pipedProducers().length === 0, 3_000);

    await b.sfu.addPeer(ROOM, 'bob');
    await b.sfu.addPeer(ROOM, 'carol');
    await bobAndCarolConsume(producerId);
    expect(b.sfu.pipedProducers()).toEqual([{ nodeId: 'node-a', direction: 'in', producers: 1 }]);

    // Alice leaves A: its room closes; B's copies and their consumers go, and so does B's end.
    const closed = closedConsumers();
    a.sfu.closePeer('alice');
    await waitUntil(() => closed.length === 2 && b.sfu.pipedProducers().length === 0, 3_000);
    expect(b.room(ROOM).pipeProducers.size).toBe(0);
    expect(await directory.find(ROOM, producerId)).toBeNull();
  });
});

describe('RedisProducerDirectory', () => {
  it('keeps a room’s producers in one expiring hash, per node', async () => {
    const redis = await startRedis();
    const client: RedisClientType = createClient({ url: redis.url });
    try {
      await client.connect();
      const dir = new RedisProducerDirectory(client, 'test:', 30);
      const entry = (producerId: string, nodeId: string) => ({ producerId, peerId: `peer-${producerId}`, kind: 'audio' as const, source: 'mic' as const, nodeId });
      await dir.add('r1', entry('p1', 'node-a'));
      await dir.add('r1', entry('p2', 'node-b'));
      await dir.add('r1', entry('p3', 'node-b'));
      await dir.add('r2', entry('p4', 'node-a'));
      expect(dir.key('r1')).toBe('test:cluster:room:r1:producers');
      const ttl = await client.ttl(dir.key('r1'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);
      expect((await dir.list('r1')).map((e) => e.producerId).sort()).toEqual(['p1', 'p2', 'p3']);
      expect(await dir.find('r1', 'p2')).toEqual(entry('p2', 'node-b'));
      expect(await dir.find('r1', 'p4')).toBeNull();

      await client.hSet(dir.key('r1'), 'junk', '{"not":"an entry"}');
      expect(await dir.list('r1')).toHaveLength(3);
      expect(await dir.removeNode('r1', 'node-b')).toBe(2);
      await dir.remove('r1', 'p1');
      expect((await dir.list('r1')).map((e) => e.producerId)).toEqual([]);
      expect(await dir.list('r2')).toEqual([entry('p4', 'node-a')]);

      await client.expire(dir.key('r2'), 5);
      await dir.touch('r2');
      expect(await client.ttl(dir.key('r2'))).toBeGreaterThan(5);
    } finally {
      await client.close().catch(() => client.destroy());
      await redis.stop();
    }
  });
});
