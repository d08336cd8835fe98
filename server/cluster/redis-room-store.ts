// The room store that several server nodes share: each room is one JSON value in Redis, changed by
// compare-and-set (a Lua script that writes only if the value is still the one the change read),
// so two nodes changing one room never lose each other's change. Seats (peer → room) and the set of
// live rooms change in the same script. Everything expires, so a Redis left behind empties itself.
import type { RedisClientType } from 'redis';
import type { RoomChange, RoomRecord, RoomStore } from '../../signaling/room-store';

/** A room untouched this long is gone (any roster or stats change refreshes it). */
export const ROOM_TTL_MS = 6 * 3600_000;
const MAX_ATTEMPTS = 20;

const keys = (prefix: string) => ({
  room: (id: string) => `${prefix}room:${id}`,
  seat: (peerId: string) => `${prefix}seat:${peerId}`,
  revoked: (peerId: string) => `${prefix}revoked:${peerId}`,
  rooms: `${prefix}rooms`,
});

// KEYS: room, live-room set, the seats to drop, then the seats to keep.
// ARGV: the value read, the value to write ('' = delete), ttl ms, room id, how many seats to drop.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
local drop = tonumber(ARGV[5])
for i = 3, 2 + drop do
  if redis.call('GET', KEYS[i]) == ARGV[4] then redis.call('DEL', KEYS[i]) end
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[4])
  for i = 3 + drop, #KEYS do redis.call('SET', KEYS[i], ARGV[4], 'PX', ARGV[3]) end
end
return 1
`;

export class RedisRoomStore implements RoomStore {
  private readonly key: ReturnType<typeof keys>;

  constructor(
    private readonly redis: RedisClientType,
    prefix = 'mvs:',
  ) {
    this.key = keys(prefix);
  }

  async get(roomId: string): Promise<RoomRecord | null> {
    const text = await this.redis.get(this.key.room(roomId));
    return text ? (JSON.parse(text) as RoomRecord) : null;
  }

  async roomIdOf(peerId: string): Promise<string | null> {
    return this.redis.get(this.key.seat(peerId));
  }

  async update<T>(roomId: string, change: (room: RoomRecord | null) => RoomChange<T>): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = (await this.redis.get(this.key.room(roomId))) ?? '';
      const before = read ? (JSON.parse(read) as RoomRecord) : null;
      const { room, result } = change(before ? (JSON.parse(read) as RoomRecord) : null);
      const kept = new Set((room?.peers ?? []).map((p) => p.id));
      const dropped = (before?.peers ?? []).filter((p) => !kept.has(p.id)).map((p) => this.key.seat(p.id));
      const written = await this.redis.eval(COMPARE_AND_SET, {
        keys: [this.key.room(roomId), this.key.rooms, ...dropped, ...[...kept].map((id) => this.key.seat(id))],
        arguments: [read, room ? JSON.stringify(room) : '', String(ROOM_TTL_MS), roomId, String(dropped.length)],
      });
      if (written === 1) return result;
    }
    throw new Error(`room ${roomId} changed ${MAX_ATTEMPTS} times while one change was being written`);
  }

  async list(): Promise<RoomRecord[]> {
    const ids = await this.redis.sMembers(this.key.rooms);
    if (ids.length === 0) return [];
    const texts = await this.redis.mGet(ids.map((id) => this.key.room(id)));
    // A room whose value expired leaves its id in the set: prune it here.
    const expired = ids.filter((_, i) => !texts[i]);
    if (expired.length) await this.redis.sRem(this.key.rooms, expired);
    return texts.filter((t): t is string => !!t).map((t) => JSON.parse(t) as RoomRecord);
  }

  async revoke(peerId: string, forMs: number): Promise<void> {
    await this.redis.set(this.key.revoked(peerId), '1', { PX: Math.max(1, Math.round(forMs)) });
  }

  async isRevoked(peerId: string): Promise<boolean> {
    return (await this.redis.exists(this.key.revoked(peerId))) === 1;
  }

  async close(): Promise<void> {}
}
