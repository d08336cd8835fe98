// Where each producer of a room lives (node, peer, kind, source; data producers too, as kind 'data'): in memory
// for one process and tests, in Redis (one hash per room, expiring unless a node hosting the room keeps touching it).
import type { RedisClientType } from 'redis';
import type { MediaSource } from '../../signaling/protocol';

export interface MediaProducerEntry {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  nodeId: string;
}

/** A peer's SCTP data producer (its ping channel): in the same hash, so removeNode and expiry cover it too. */
export interface DataProducerEntry {
  /** The data producer's id (ids never collide with media producers': both are UUIDs). */
  producerId: string;
  peerId: string;
  kind: 'data';
  nodeId: string;
}

export type ProducerEntry = MediaProducerEntry | DataProducerEntry;

export interface ProducerDirectory {
  add(roomId: string, entry: ProducerEntry): Promise<void>;
  remove(roomId: string, producerId: string): Promise<void>;
  list(roomId: string): Promise<ProducerEntry[]>;
  find(roomId: string, producerId: string): Promise<ProducerEntry | null>;
  /** Forgets every producer a node held in a room (it died, or its room there was reset); how many. */
  removeNode(roomId: string, nodeId: string): Promise<number>;
  /** Keeps the room's entries alive while a node still hosts part of the room. */
  touch(roomId: string): Promise<void>;
}

export class InMemoryProducerDirectory implements ProducerDirectory {
  private readonly rooms = new Map<string, Map<string, ProducerEntry>>();

  async add(roomId: string, entry: ProducerEntry): Promise<void> {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    room.set(entry.producerId, { ...entry });
  }

  async remove(roomId: string, producerId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    room?.delete(producerId);
    if (room?.size === 0) this.rooms.delete(roomId);
  }

  async list(roomId: string): Promise<ProducerEntry[]> {
    return [...(this.rooms.get(roomId)?.values() ?? [])].map((entry) => ({ ...entry }));
  }

  async find(roomId: string, producerId: string): Promise<ProducerEntry | null> {
    const entry = this.rooms.get(roomId)?.get(producerId);
    return entry ? { ...entry } : null;
  }

  async removeNode(roomId: string, nodeId: string): Promise<number> {
    let removed = 0;
    for (const entry of await this.list(roomId)) {
      if (entry.nodeId !== nodeId) continue;
      await this.remove(roomId, entry.producerId);
      removed += 1;
    }
    return removed;
  }

  async touch(): Promise<void> {
    // nothing expires in memory
  }
}

/** A room's hash lives this long after the last touch or change (a few missed refreshes). */
export const DIRECTORY_TTL_SECONDS = 30;

export class RedisProducerDirectory implements ProducerDirectory {
  constructor(
    private readonly redis: RedisClientType,
    private readonly prefix = 'mvs:',
    private readonly ttlSeconds = DIRECTORY_TTL_SECONDS,
  ) {}

  key(roomId: string): string {
    return `${this.prefix}cluster:room:${roomId}:producers`;
  }

  async add(roomId: string, entry: ProducerEntry): Promise<void> {
    const key = this.key(roomId);
    const { producerId, peerId, kind, nodeId } = entry;
    const value = entry.kind === 'data' ? { producerId, peerId, kind, nodeId } : { producerId, peerId, kind, source: entry.source, nodeId };
    await this.redis.multi().hSet(key, producerId, JSON.stringify(value)).expire(key, this.ttlSeconds).exec();
  }

  async remove(roomId: string, producerId: string): Promise<void> {
    await this.redis.hDel(this.key(roomId), producerId);
  }

  async list(roomId: string): Promise<ProducerEntry[]> {
    const fields = await this.redis.hGetAll(this.key(roomId));
    return Object.values(fields).flatMap((text) => parseEntry(text));
  }

  async find(roomId: string, producerId: string): Promise<ProducerEntry | null> {
    const text = await this.redis.hGet(this.key(roomId), producerId);
    return text ? (parseEntry(text)[0] ?? null) : null;
  }

  async removeNode(roomId: string, nodeId: string): Promise<number> {
    const gone = (await this.list(roomId)).filter((entry) => entry.nodeId === nodeId).map((entry) => entry.producerId);
    if (gone.length) await this.redis.hDel(this.key(roomId), gone);
    return gone.length;
  }

  async touch(roomId: string): Promise<void> {
    await this.redis.expire(this.key(roomId), this.ttlSeconds);
  }
}

/** A value another version (or a stray write) left behind is skipped, not fatal. */
function parseEntry(text: string): ProducerEntry[] {
  try {
    const value = JSON.parse(text) as Partial<MediaProducerEntry> | Partial<DataProducerEntry>;
    const { producerId, peerId, kind, nodeId } = value;
    if (typeof producerId !== 'string' || typeof peerId !== 'string' || typeof nodeId !== 'string') return [];
    if (kind === 'data') return [{ producerId, peerId, kind, nodeId }];
    const source = 'source' in value ? value.source : undefined;
    const valid = (kind === 'audio' || kind === 'video') && (source === 'mic' || source === 'camera' || source === 'screen');
    return valid ? [{ producerId, peerId, kind, source, nodeId }] : [];
  } catch {
    return [];
  }
}
