// Room membership over the room store: which peers are in which room, each room's mode, and the
// per-mode size caps. Every change is one atomic store update, so nodes sharing a store agree.
import { randomUUID } from 'node:crypto';
import { ServerError } from './errors';
import type { OperatorRoomView } from './http';
import type { MediaState, Mode, PeerInfo, PeerStatsShare, RoomMode } from './protocol';
import type { RoomRecord, RoomStore } from './room-store';

/** Like Jitsi: two people talk peer to peer, a third brings the SFU. */
export const DEFAULT_SFU_ABOVE = 2;

export interface RoomCaps {
  meshMaxPeers: number;
  sfuMaxPeers: number;
  /** Auto rooms move to the SFU above this many participants, unless their creator chose another. */
  autoSfuAbove?: number;
}

export type Room = RoomRecord;

/** What a room's creator chooses beyond its mode (later joiners must match e2ee; sfuAbove is ignored). */
export interface RoomSettings {
  sfuAbove?: number;
  e2ee?: boolean;
}

/** How media flows in the room now: its mode, or for an auto room its current topology. */
export function topologyOf(room: Pick<Room, 'mode' | 'auto'>): Mode {
  return room.mode === 'auto' ? (room.auto?.topology ?? 'mesh') : room.mode;
}

/**
 * Everyone in join order, copied. The first is the host: the room's creator, and after it leaves
 * the longest-present participant (a seat held through a reconnect keeps its place).
 */
export function rosterOf(room: Room | null): PeerInfo[] {
  return (room?.peers ?? []).map((p, i) => ({ ...p, media: { ...p.media }, ...(i === 0 ? { host: true } : {}) }));
}

export const hasPeer = (room: Room, peerId: string): boolean => room.peers.some((p) => p.id === peerId);

export type RoomView = OperatorRoomView;

export class RoomRegistry {
  constructor(
    private readonly caps: RoomCaps,
    readonly store: RoomStore,
  ) {}

  /**
   * Seats the peer; `settings` are the creator's (the first joiner's count, like a passcode).
   * `admit` runs inside the atomic update, on the room as it is then (null: a new room), and may
   * throw to refuse (room-access.ts); what it returns becomes a new room's access settings.
   */
  async join(roomId: string, mode: RoomMode, peer: PeerInfo, settings: RoomSettings = {}, admit?: (room: Room | null) => Room['access'] | void): Promise<Room> {
    const current = await this.store.roomIdOf(peer.id);
    if (current) throw new ServerError('ALREADY_IN_ROOM', `peer ${peer.id} is already in room ${current}; leave first`);
    return this.store.update(roomId, (before) => {
      const access = admit?.(before);
      const room = before ?? this.create(roomId, mode, settings);
      if (!before && access) room.access = access;
      this.checkJoin(room, mode, settings);
      room.peers.push({ ...peer });
      return { room, result: room };
    });
  }

  private checkJoin(room: Room, mode: RoomMode, settings: RoomSettings): void {
    if (room.mode !== mode) {
      throw new ServerError('MODE_MISMATCH', `room ${room.id} is running in ${room.mode} mode; join it with mode=${room.mode} or pick another room`);
    }
    // A participant who does not encrypt would send the others media they cannot decrypt (and the
    // server media it can read): both sides of a room must agree.
    if (room.e2ee !== !!settings.e2ee) {
      throw new ServerError(
        'MODE_MISMATCH',
        room.e2ee ? `room ${room.id} is end-to-end encrypted; join it with e2ee=1` : `room ${room.id} is not end-to-end encrypted; join it without e2ee`,
      );
    }
    const cap = mode === 'mesh' ? this.caps.meshMaxPeers : this.caps.sfuMaxPeers;
    if (room.peers.length >= cap) throw new ServerError('ROOM_FULL', `room ${room.id} is full (${cap} peers in ${mode} mode)`);
  }

  private create(id: string, mode: RoomMode, { sfuAbove, e2ee = false }: RoomSettings): Room {
    if (e2ee && mode !== 'sfu') {
      throw new ServerError(
        'BAD_REQUEST',
        mode === 'mesh'
          ? 'e2ee is for SFU rooms: a mesh call is already end-to-end encrypted (DTLS-SRTP between the browsers)'
          : 'e2ee is for SFU rooms; auto rooms do not offer it yet',
      );
    }
    const room: Room = { id, mode, incarnation: randomUUID(), peers: [], shares: {}, e2ee, access: { passcode: null, locked: false } };
    if (mode !== 'auto') return room;
    const threshold = sfuAbove ?? this.caps.autoSfuAbove ?? DEFAULT_SFU_ABOVE;
    // Below the threshold the room is a mesh call, so the mesh cap bounds it.
    if (threshold > this.caps.meshMaxPeers) {
      throw new ServerError('BAD_REQUEST', `sfuAbove=${threshold} is more than a mesh call may hold here (${this.caps.meshMaxPeers}); pick 1 to ${this.caps.meshMaxPeers}`);
    }
    room.auto = { epoch: 0, topology: 'mesh', threshold, participants: 0, reason: `a new room starts on mesh (SFU above ${threshold})`, at: Date.now() };
    return room;
  }

  /** Removes the peer; returns the room it left (deleted when empty), or null if it was in none. */
  async leave(peerId: string): Promise<{ roomId: string; mode: RoomMode; remaining: PeerInfo[] } | null> {
    const roomId = await this.store.roomIdOf(peerId);
    if (!roomId) return null;
    return this.store.update(roomId, (room) => {
      if (!room || !hasPeer(room, peerId)) return { room, result: null };
      room.peers = room.peers.filter((p) => p.id !== peerId);
      delete room.shares[peerId];
      const result = { roomId, mode: room.mode, remaining: rosterOf(room) };
      return { room: room.peers.length ? room : null, result };
    });
  }

  async setMedia(peerId: string, media: MediaState): Promise<PeerInfo[]> {
    return this.changePeer(peerId, (peer) => {
      peer.media = media;
    });
  }

  /** Marks the peer's signaling as lost (seat held) or back; returns the room's new roster. */
  async setReconnecting(peerId: string, reconnecting: boolean): Promise<PeerInfo[]> {
    return this.changePeer(peerId, (peer) => {
      if (reconnecting) peer.reconnecting = true;
      else delete peer.reconnecting;
    });
  }

  /** The peer's signaling is back, possibly through another server node; returns the new roster. */
  async resumed(peerId: string, node: string | null): Promise<PeerInfo[]> {
    return this.changePeer(peerId, (peer) => {
      delete peer.reconnecting;
      if (node) peer.node = node;
    });
  }

  private async changePeer(peerId: string, change: (peer: PeerInfo) => void): Promise<PeerInfo[]> {
    const roomId = await this.requireRoomIdOf(peerId);
    return this.store.update(roomId, (room) => {
      const peer = room?.peers.find((p) => p.id === peerId);
      if (!room || !peer) throw notInRoom(peerId);
      change(peer);
      return { room, result: rosterOf(room) };
    });
  }

  async roomOf(peerId: string): Promise<{ id: string; mode: RoomMode; topology: Mode } | null> {
    const roomId = await this.store.roomIdOf(peerId);
    const room = roomId ? await this.store.get(roomId) : null;
    return room && hasPeer(room, peerId) ? { id: room.id, mode: room.mode, topology: topologyOf(room) } : null;
  }

  /** A copy of the peer's room as it is now; NOT_IN_ROOM when it has none. */
  async requireRoomOf(peerId: string): Promise<Room> {
    const roomId = await this.store.roomIdOf(peerId);
    const room = roomId ? await this.store.get(roomId) : null;
    if (!room || !hasPeer(room, peerId)) throw notInRoom(peerId);
    return room;
  }

  private async requireRoomIdOf(peerId: string): Promise<string> {
    const roomId = await this.store.roomIdOf(peerId);
    if (!roomId) throw notInRoom(peerId);
    return roomId;
  }

  /** A copy of the room while anyone is in it (compare `incarnation` to tell a room created again). */
  find(roomId: string): Promise<Room | null> {
    return this.store.get(roomId);
  }

  async roster(roomId: string): Promise<PeerInfo[]> {
    return rosterOf(await this.store.get(roomId));
  }

  /** Keeps the peer's latest stats summary (the sender and time stamped by the server). */
  async setShare(share: PeerStatsShare): Promise<void> {
    const roomId = await this.requireRoomIdOf(share.from);
    await this.store.update(roomId, (room) => {
      if (!room || !hasPeer(room, share.from)) throw notInRoom(share.from);
      room.shares[share.from] = share;
      return { room, result: undefined };
    });
  }

  /** The room with everyone's latest summary, or null when nobody is in it. */
  async view(roomId: string): Promise<RoomView | null> {
    const room = await this.store.get(roomId);
    if (!room) return null;
    return {
      id: room.id,
      mode: topologyOf(room),
      ...(room.auto ? { auto: room.auto } : {}),
      peers: rosterOf(room).map((p) => ({ ...p, share: room.shares[p.id] ?? null })),
    };
  }

  /** Counts for metrics: rooms and peers per topology (an auto room counts where its media flows now). */
  async counts(): Promise<Record<Mode, { rooms: number; peers: number }>> {
    const counts = { mesh: { rooms: 0, peers: 0 }, sfu: { rooms: 0, peers: 0 } };
    for (const room of await this.store.list()) {
      counts[topologyOf(room)].rooms += 1;
      counts[topologyOf(room)].peers += room.peers.length;
    }
    return counts;
  }
}

function notInRoom(peerId: string): ServerError {
  return new ServerError('NOT_IN_ROOM', `peer ${peerId} has not joined a room`);
}
