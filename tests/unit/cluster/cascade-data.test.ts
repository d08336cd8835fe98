// The data cascade between two nodes (ping channels over SCTP, real mediasoup workers, internal HTTP on loopback):
// listed cluster-wide, piped once per node for any number of consumers, messages cross, and it follows its origin.
import { createClient, type RedisClientType } from 'redis';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryProducerDirectory, RedisProducerDirectory, type ProducerEntry } from '../../../server/cluster/producer-directory';
import type { SfuEvents } from '../../../signaling/sfu-service';
import { nextEvent, waitUntil } from '../sfu/helpers';
import { clientRouter, produceData, receiveData, sctpPeer, type SctpPeer } from './data-peers';
import { startNode, startRedis, stopNode, type TestNode } from './two-nodes';

const ROOM = 'cascade-data-room';
const directory = new InMemoryProducerDirectory();
const urls = new Map<string, string>();
let a: TestNode;
let b: TestNode;
let bob: SctpPeer;
let carol: SctpPeer;
let routerA: types.Router;

beforeAll(async () => {
  a = await startNode('node-a', [47400, 47499], directory, urls);
  // B asks for SRTP pipes: the pair then carries SRTP media and (unencrypted) SCTP side by side.
  b = await startNode('node-b', [47500, 47599], directory, urls, true);
  await a.sfu.addPeer(ROOM, 'alice');
  await b.sfu.addPeer(ROOM, 'bob');
  await b.sfu.addPeer(ROOM, 'carol');
  routerA = await clientRouter(a, ROOM);
  const routerB = await clientRouter(b, ROOM);
  bob = await sctpPeer(b, routerB, ROOM, 'bob', 'recv');
  carol = await sctpPeer(b, routerB, ROOM, 'carol', 'recv');
});

afterAll(async () => {
  await stopNode(a);
  await stopNode(b);
});

/** Alice's ping channel on node A, announced only once the directory holds it. */
async function alicePings() {
  const end = await sctpPeer(a, routerA, ROOM, 'alice', 'send');
  let listedWhenAnnounced: Promise<ProducerEntry | null> = Promise.resolve(null);
  // Read synchronously inside the listener: the directory as it was when the event went out.
  const listener = (roomId: string, info: { dataProducerId: string }) => (listedWhenAnnounced = directory.find(roomId, info.dataProducerId));
  a.sfu.on('newDataProducer', listener);
  const announced = nextEvent<SfuEvents['newDataProducer']>(a.sfu, 'newDataProducer');
  const channel = await produceData(a, 'alice', end);
  const [roomId, info] = await announced;
  a.sfu.off('newDataProducer', listener);
  expect(roomId).toBe(ROOM);
  expect(info).toEqual({ dataProducerId: channel.dataProducerId, peerId: 'alice' });
  expect(await listedWhenAnnounced).toEqual({ producerId: channel.dataProducerId, peerId: 'alice', kind: 'data', nodeId: 'node-a' });
  return channel;
}

/** Bob and Carol on node B consume it at the same time. */
async function bobAndCarolConsumeData(dataProducerId: string) {
  const [forBob, forCarol] = await Promise.all([b.sfu.consumeData('bob', dataProducerId), b.sfu.consumeData('carol', dataProducerId)]);
  expect(forBob).toMatchObject({ dataProducerId, peerId: 'alice', label: 'ping' });
  expect(forCarol).toMatchObject({ dataProducerId, peerId: 'alice', label: 'ping' });
  // The browser's stream settings (unordered) survive both hops: only the stream id is each hop's own.
  const origin = a.room(ROOM).ownDataProducer(dataProducerId)?.dataProducer.sctpStreamParameters;
  expect(origin).toMatchObject({ ordered: false });
  expect({ ...(forBob.sctpStreamParameters as object), streamId: 0 }).toEqual({ ...origin, streamId: 0 });
  return { forBob, forCarol };
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dataConsumersOf = (peerId: string) => b.room(ROOM).peers.get(peerId)?.dataConsumers.size ?? 0;

describe('ping channels across nodes', () => {
  let dataProducerId: string;

  it('lists a remote data producer, pipes it once for two consumers, and its messages reach both', async () => {
    const channel = await alicePings();
    dataProducerId = channel.dataProducerId;
    // Listed on B at once (the directory is read when asked), and never as media.
    expect(await b.sfu.listDataProducers('bob')).toEqual([{ dataProducerId, peerId: 'alice' }]);
    expect(await b.sfu.listProducers('bob')).toEqual([]);
    expect(await a.sfu.listDataProducers('alice')).toEqual([]);

    const { forBob, forCarol } = await bobAndCarolConsumeData(dataProducerId);
    expect(b.room(ROOM).pipeDataProducers.size).toBe(1);
    expect(b.sfu.pipedDataProducers()).toEqual([{ nodeId: 'node-a', direction: 'in', producers: 1 }]);
    expect(a.sfu.pipedDataProducers()).toEqual([{ nodeId: 'node-b', direction: 'out', producers: 1 }]);
    // The media count (the cluster_piped_producers metric) stays media only.
    expect(b.sfu.pipedProducers()).toEqual([{ nodeId: 'node-a', direction: 'in', producers: 0 }]);
    expect(a.sfu.cascade.links()).toEqual([expect.objectContaining({ nodeId: 'node-b', direction: 'out', srtp: true, producers: 0, dataProducers: 1 })]);
    // A's room router: Alice's transport and one pipe towards B.
    expect((await a.room(ROOM).router.dump()).transportIds).toHaveLength(2);

    const [toBob, toCarol] = await Promise.all([receiveData(bob, forBob), receiveData(carol, forCarol)]);
    // The SCTP associations (browser ends, then the pipe) come up on their own: send until both have heard enough.
    let n = 0;
    const sending = setInterval(() => channel.send(`ping-${++n}`), 25);
    try {
      await waitUntil(() => toBob.length >= 5 && toCarol.length >= 5, 8_000);
    } finally {
      clearInterval(sending);
    }
    expect(toBob.every((text) => /^ping-\d+$/.test(text))).toBe(true);
    expect(toCarol.every((text) => /^ping-\d+$/.test(text))).toBe(true);
    // A third consumer would change nothing: still one copy on B.
    expect(b.room(ROOM).pipeDataProducers.size).toBe(1);
  });

  it('closes the consumers on the other node when the origin data producer closes', async () => {
    expect(dataConsumersOf('bob') + dataConsumersOf('carol')).toBe(2);
    // Alice sets her media up again (releaseMedia closes her transports, and her ping channel with them).
    a.sfu.releaseMedia('alice');
    await waitUntil(() => dataConsumersOf('bob') + dataConsumersOf('carol') === 0, 3_000);
    expect(b.room(ROOM).pipeDataProducers.size).toBe(0);
    expect(b.sfu.pipedDataProducers()).toEqual([{ nodeId: 'node-a', direction: 'in', producers: 0 }]);
    await waitUntil(() => a.sfu.pipedDataProducers()[0]?.producers === 0, 3_000);
    // A's directory write follows the close on its own queue: bounded, like every wait here.
    await eventually(async () => (await directory.find(ROOM, dataProducerId)) === null, 3_000);
    expect(await b.sfu.listDataProducers('bob')).toEqual([]);
  });

  it('dropNode closes the piped data producers, their consumers, and the lost node’s entries', async () => {
    const { dataProducerId: again } = await alicePings();
    await bobAndCarolConsumeData(again);
    expect(b.sfu.pipedDataProducers()).toContainEqual({ nodeId: 'node-a', direction: 'in', producers: 1 });

    await b.sfu.dropNode('node-a');
    await waitUntil(() => dataConsumersOf('bob') + dataConsumersOf('carol') === 0, 3_000);
    expect(b.room(ROOM).pipeDataProducers.size).toBe(0);
    expect(b.sfu.pipedDataProducers()).toEqual([]);
    expect(await directory.find(ROOM, again)).toBeNull();
    expect(await b.sfu.listDataProducers('bob')).toEqual([]);

    await a.sfu.dropNode('node-b');
    expect(a.sfu.pipedDataProducers()).toEqual([]);
  });
});

describe('RedisProducerDirectory with data producers', () => {
  it('keeps them in the room’s hash beside media, and forgets them with their node', async () => {
    const redis = await startRedis();
    const client: RedisClientType = createClient({ url: redis.url });
    try {
      await client.connect();
      const dir = new RedisProducerDirectory(client, 'test-data:', 30);
      const media = { producerId: 'p1', peerId: 'alice', kind: 'audio' as const, source: 'mic' as const, nodeId: 'node-a' };
      const data = { producerId: 'd1', peerId: 'alice', kind: 'data' as const, nodeId: 'node-a' };
      await dir.add('r1', media);
      await dir.add('r1', data);
      expect(await dir.find('r1', 'd1')).toEqual(data);
      expect((await dir.list('r1')).sort((x, y) => x.producerId.localeCompare(y.producerId))).toEqual([data, media]);
      // A data entry carries no source, and a media entry without one is still refused.
      expect(JSON.parse((await client.hGet(dir.key('r1'), 'd1')) ?? '{}')).toEqual(data);
      await client.hSet(dir.key('r1'), 'bad', JSON.stringify({ producerId: 'bad', peerId: 'x', kind: 'video', nodeId: 'node-a' }));
      expect(await dir.list('r1')).toHaveLength(2);
      expect(await dir.removeNode('r1', 'node-a')).toBe(2);
    } finally {
      await client.close().catch(() => client.destroy());
      await redis.stop();
    }
  });
});
