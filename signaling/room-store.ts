// Where rooms live: one plain, serialisable record per room, changed only through `update`, which
// is atomic per room. Two implementations: this file's in-memory store (one process, the default)
// and a Redis one (server/cluster/redis-room-store.ts) that several server nodes share.
import type { PeerInfo, PeerStatsShare, RoomMode, TopologyChange } from './protocol';

/** A passcode's salted hash, as base64 text so that the record stays plain JSON. */
export interface StoredPasscode {
  salt: string;
  hash: string;
}

export interface RoomRecord {
  id: string;
  mode: RoomMode;
  /** New each time the room is created: a room emptied and created again is another incarnation. */
  incarnation: string;
  /** Everyone in join order; the first is the host. */
  peers: PeerInfo[];
  /** Each peer's latest stats summary (stats:share), for the operator's room view; gone with the peer. */
  shares: Record<string, PeerStatsShare>;
  /** Auto rooms only: the topology the room runs now and why (auto-topology.ts moves it). */
  auto?: TopologyChange;
  /** SFU rooms whose media the browsers encrypt end to end (their creator's choice). */
  e2ee: boolean;
  /** Who may enter (room-access.ts): the creator's passcode and the host's lock. */
  access: { passcode: StoredPasscode | null; locked: boolean };
}

/** What an update makes of a room (null: the room is gone) and what it answers its caller. */
export interface RoomChange<T> {
  room: RoomRecord | null;
  result: T;
}

export interface RoomStore {
  /** A copy of the room's record, or null when nobody is in it. */
  get(roomId: string): Promise<RoomRecord | null>;
  /** The room the peer is seated in, or null. */
  roomIdOf(peerId: string): Promise<string | null>;
  /**
   * Changes one room atomically. `change` gets a copy of the current record (or null) and may run
   * more than once when another node changed the room meanwhile, so it must be pure; a throw aborts
   * the update and reaches the caller. Seats (peer → room) follow the record's peers.
   */
  update<T>(roomId: string, change: (room: RoomRecord | null) => RoomChange<T>): Promise<T>;
  /** Every room with someone in it (metrics, the operator's views). */
  list(): Promise<RoomRecord[]>;
  /** Refuses this peer id's resume tokens for `forMs` (the host removed it). */
  revoke(peerId: string, forMs: number): Promise<void>;
  isRevoked(peerId: string): Promise<boolean>;
  close(): Promise<void>;
}

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryRoomStore implements RoomStore {
  private rooms = new Map<string, RoomRecord>();
  private roomOfPeer = new Map<string, string>();
  private revoked = new Map<string, number>();

  async get(roomId: string): Promise<RoomRecord | null> {
    const room = this.rooms.get(roomId);
    return room ? copy(room) : null;
  }

  async roomIdOf(peerId: string): Promise<string | null> {
    return this.roomOfPeer.get(peerId) ?? null;
  }

  async update<T>(roomId: string, change: (room: RoomRecord | null) => RoomChange<T>): Promise<T> {
    const before = this.rooms.get(roomId);
    const { room, result } = change(before ? copy(before) : null);
    for (const peer of before?.peers ?? []) this.roomOfPeer.delete(peer.id);
    if (room) {
      this.rooms.set(roomId, copy(room));
      for (const peer of room.peers) this.roomOfPeer.set(peer.id, roomId);
    } else {
      this.rooms.delete(roomId);
    }
    return result;
  }

  async list(): Promise<RoomRecord[]> {
    return [...this.rooms.values()].map(copy);
  }

  async revoke(peerId: string, forMs: number): Promise<void> {
    const now = Date.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    this.revoked.set(peerId, now + forMs);
  }

  async isRevoked(peerId: string): Promise<boolean> {
    return (this.revoked.get(peerId) ?? 0) > Date.now();
  }

  async close(): Promise<void> {}
}
