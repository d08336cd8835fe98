// The room registry: joins, leaves, caps per mode, and rooms locked to the mode they started in,
// over both room stores: in memory, and Redis (a real redis-server child on loopback).
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisHandle } from '../../../scripts/kit/lib/cluster/redis-server';
import { RedisRoomStore } from '../../../server/cluster/redis-room-store';
import { ServerError } from '../../../signaling/errors';
import { MemoryRoomStore, type RoomStore } from '../../../signaling/room-store';
import { RoomRegistry } from '../../../signaling/rooms';

const peer = (id: string) => ({ id, name: id.toUpperCase(), media: { audio: true, video: true } });
const codeOf = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (err) {
    return err instanceof ServerError ? err.code : 'not a ServerError';
  }
  return 'no error';
};

let redis: RedisHandle;
let client: RedisClientType;
beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await redis?.stop();
});

let prefixes = 0;
const stores: [string, () => RoomStore][] = [
  ['in memory', () => new MemoryRoomStore()],
  // A fresh key prefix per test: each starts with an empty store.
  ['on Redis', () => new RedisRoomStore(client, `t${++prefixes}:`)],
];

describe.each(stores)('RoomRegistry %s', (_name, store) => {
  it('joins, lists and leaves; an empty room disappears', async () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 }, store());
    await rooms.join('r', 'mesh', peer('a'));
    await rooms.join('r', 'mesh', peer('b'));
    expect((await rooms.roster('r')).map((p) => p.id)).toEqual(['a', 'b']);
    expect(await rooms.leave('a')).toMatchObject({ roomId: 'r', mode: 'mesh', remaining: [{ id: 'b' }] });
    expect(await rooms.leave('a')).toBeNull();
    await rooms.leave('b');
    expect((await rooms.counts()).mesh).toEqual({ rooms: 0, peers: 0 });
    // the room id is free again, in any mode
    await rooms.join('r', 'sfu', peer('c'));
    expect(await rooms.roomOf('c')).toEqual({ id: 'r', mode: 'sfu', topology: 'sfu' });
  });

  it('refuses a join in the other mode with MODE_MISMATCH', async () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 }, store());
    await rooms.join('r', 'sfu', peer('a'));
    expect(await codeOf(() => rooms.join('r', 'mesh', peer('b')))).toBe('MODE_MISMATCH');
    expect(await rooms.roster('r')).toHaveLength(1);
  });

  it('caps each mode separately', async () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 2, sfuMaxPeers: 3 }, store());
    await rooms.join('m', 'mesh', peer('a'));
    await rooms.join('m', 'mesh', peer('b'));
    expect(await codeOf(() => rooms.join('m', 'mesh', peer('c')))).toBe('ROOM_FULL');
    for (const id of ['d', 'e', 'f']) await rooms.join('s', 'sfu', peer(id));
    expect(await codeOf(() => rooms.join('s', 'sfu', peer('g')))).toBe('ROOM_FULL');
    expect(await rooms.counts()).toEqual({ mesh: { rooms: 1, peers: 2 }, sfu: { rooms: 1, peers: 3 } });
  });

  it('refuses a second room for one peer and unknown peers', async () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 }, store());
    await rooms.join('r1', 'mesh', peer('a'));
    expect(await codeOf(() => rooms.join('r2', 'mesh', peer('a')))).toBe('ALREADY_IN_ROOM');
    expect(await codeOf(() => rooms.requireRoomOf('zz'))).toBe('NOT_IN_ROOM');
    expect(await codeOf(() => rooms.setMedia('zz', { audio: false, video: false }))).toBe('NOT_IN_ROOM');
  });

  it('records media state and hands out copies', async () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 }, store());
    await rooms.join('r', 'mesh', peer('a'));
    const roster = await rooms.setMedia('a', { audio: false, video: true });
    expect(roster[0].media).toEqual({ audio: false, video: true });
    roster[0].media.audio = true;
    expect((await rooms.roster('r'))[0].media.audio).toBe(false);
  });
});
