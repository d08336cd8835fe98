// Room membership: which peers are in which room, each room's mode, and the per-mode size caps.
import { ServerError } from './errors';
import type { OperatorRoomView } from './http';
import type { MediaState, Mode, PeerInfo, PeerStatsShare, RoomMode, TopologyChange } from './protocol';

/** Like Jitsi: two people talk peer to peer, a third brings the SFU. */
export const DEFAULT_SFU_ABOVE = 2;

export interface RoomCaps {
  meshMaxPeers: number;
  sfuMaxPeers: number;
  /** Auto rooms move to the SFU above this many participants, unless their creator chose another. */
  autoSfuAbove?: number;
}

export interface Room {
  id: string;
  mode: RoomMode;
  peers: Map<string, PeerInfo>;
  /** Each peer's latest stats summary (stats:share), for the operator's room view; gone with the peer. */
  shares: Map<string, PeerStatsShare>;
  /** Auto rooms only: the topology the room runs now and why (auto-topology.ts moves it). */
  auto?: TopologyChange;
  /** SFU rooms whose media the browsers encrypt end to end (their creator's choice). */
  e2ee: boolean;
}

/** What a room's creator chooses beyond its mode (later joiners must match e2ee; sfuAbove is ignored). */
export interface RoomSettings {
  sfuAbove?: number;
  e2ee?: boolean;
}

/** How media flows in the room now: its mode, or for an auto room its current topology. */
export function topologyOf(room: Pick<Room, 'mode' | 'auto'>): Mode {
  return room.mode === 'auto' ? (room.auto?.topology ?? 'mesh') : room.mode;
}

export type RoomView = OperatorRoomView;

export class RoomRegistry {
  private rooms = new Map<string, Room>();
  private roomOfPeer = new Map<string, string>();

  constructor(private readonly caps: RoomCaps) {}

  /** `settings` are the creator's (the first joiner's count, like a passcode). */
  join(roomId: string, mode: RoomMode, peer: PeerInfo, settings: RoomSettings = {}): Room {
    const current = this.roomOfPeer.get(peer.id);
    if (current) throw new ServerError('ALREADY_IN_ROOM', `peer ${peer.id} is already in room ${current}; leave first`);
    const room = this.rooms.get(roomId) ?? this.create(roomId, mode, settings);
    if (room.mode !== mode) {
      throw new ServerError(
        'MODE_MISMATCH',
        `room ${roomId} is running in ${room.mode} mode; join it with mode=${room.mode} or pick another room`,
      );
    }
    // A participant who does not encrypt would send the others media they cannot decrypt (and the
    // server media it can read): both sides of a room must agree.
    if (room.e2ee !== !!settings.e2ee) {
      throw new ServerError(
        'MODE_MISMATCH',
        room.e2ee ? `room ${roomId} is end-to-end encrypted; join it with e2ee=1` : `room ${roomId} is not end-to-end encrypted; join it without e2ee`,
      );
    }
    const cap = mode === 'mesh' ? this.caps.meshMaxPeers : this.caps.sfuMaxPeers;
    if (room.peers.size >= cap) throw new ServerError('ROOM_FULL', `room ${roomId} is full (${cap} peers in ${mode} mode)`);
    room.peers.set(peer.id, { ...peer });
    this.rooms.set(roomId, room);
    this.roomOfPeer.set(peer.id, roomId);
    return room;
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
    const room: Room = { id, mode, peers: new Map<string, PeerInfo>(), shares: new Map<string, PeerStatsShare>(), e2ee };
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
  leave(peerId: string): { roomId: string; mode: RoomMode; remaining: PeerInfo[] } | null {
    const roomId = this.roomOfPeer.get(peerId);
    if (!roomId) return null;
    this.roomOfPeer.delete(peerId);
    const room = this.rooms.get(roomId)!;
    room.peers.delete(peerId);
    room.shares.delete(peerId);
    if (room.peers.size === 0) this.rooms.delete(roomId);
    return { roomId, mode: room.mode, remaining: this.roster(roomId) };
  }

  setMedia(peerId: string, media: MediaState): PeerInfo[] {
    const room = this.requireRoomOf(peerId);
    room.peers.get(peerId)!.media = media;
    return this.roster(room.id);
  }

  /** Marks the peer's signaling as lost (seat held) or back; returns the room's new roster. */
  setReconnecting(peerId: string, reconnecting: boolean): PeerInfo[] {
    const room = this.requireRoomOf(peerId);
    const peer = room.peers.get(peerId)!;
    if (reconnecting) peer.reconnecting = true;
    else delete peer.reconnecting;
    return this.roster(room.id);
  }

  roomOf(peerId: string): { id: string; mode: RoomMode; topology: Mode } | null {
    const roomId = this.roomOfPeer.get(peerId);
    const room = roomId ? this.rooms.get(roomId) : undefined;
    return room ? { id: room.id, mode: room.mode, topology: topologyOf(room) } : null;
  }

  requireRoomOf(peerId: string): Room {
    const roomId = this.roomOfPeer.get(peerId);
    const room = roomId ? this.rooms.get(roomId) : undefined;
    if (!room) throw new ServerError('NOT_IN_ROOM', `peer ${peerId} has not joined a room`);
    return room;
  }

  /** The room's object while anyone is in it (a room emptied and created again is a new object). */
  find(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  /**
   * Everyone in join order. The first is the host: the room's creator, and after it leaves the
   * longest-present participant (a seat held through a reconnect keeps its place).
   */
  roster(roomId: string): PeerInfo[] {
    return [...(this.rooms.get(roomId)?.peers.values() ?? [])].map((p, i) => ({ ...p, media: { ...p.media }, ...(i === 0 ? { host: true } : {}) }));
  }

  /** Keeps the peer's latest stats summary (the sender and time stamped by the server). */
  setShare(share: PeerStatsShare): void {
    this.requireRoomOf(share.from).shares.set(share.from, share);
  }

  /** The room with everyone's latest summary, or null when nobody is in it. */
  view(roomId: string): RoomView | null {
    const room = this.rooms.get(roomId);
    if (!room) return null;
    return {
      id: room.id,
      mode: topologyOf(room),
      ...(room.auto ? { auto: room.auto } : {}),
      peers: this.roster(roomId).map((p) => ({ ...p, share: room.shares.get(p.id) ?? null })),
    };
  }

  /** Counts for metrics: rooms and peers per topology (an auto room counts where its media flows now). */
  counts(): Record<Mode, { rooms: number; peers: number }> {
    const counts = { mesh: { rooms: 0, peers: 0 }, sfu: { rooms: 0, peers: 0 } };
    for (const room of this.rooms.values()) {
      counts[topologyOf(room)].rooms += 1;
      counts[topologyOf(room)].peers += room.peers.size;
    }
    return counts;
  }
}
