// Room membership: which peers are in which room, each room's mode, and the per-mode size caps.
import { ServerError } from './errors';
import type { OperatorRoomView } from './http';
import type { MediaState, Mode, PeerInfo, PeerStatsShare } from './protocol';

export interface RoomCaps {
  meshMaxPeers: number;
  sfuMaxPeers: number;
}

export interface Room {
  id: string;
  mode: Mode;
  peers: Map<string, PeerInfo>;
  /** Each peer's latest stats summary (stats:share), for the operator's room view; gone with the peer. */
  shares: Map<string, PeerStatsShare>;
}

export type RoomView = OperatorRoomView;

export class RoomRegistry {
  private rooms = new Map<string, Room>();
  private roomOfPeer = new Map<string, string>();

  constructor(private readonly caps: RoomCaps) {}

  join(roomId: string, mode: Mode, peer: PeerInfo): Room {
    const current = this.roomOfPeer.get(peer.id);
    if (current) throw new ServerError('ALREADY_IN_ROOM', `peer ${peer.id} is already in room ${current}; leave first`);
    const room = this.rooms.get(roomId) ?? { id: roomId, mode, peers: new Map<string, PeerInfo>(), shares: new Map<string, PeerStatsShare>() };
    if (room.mode !== mode) {
      throw new ServerError(
        'MODE_MISMATCH',
        `room ${roomId} is running in ${room.mode} mode; join it with mode=${room.mode} or pick another room`,
      );
    }
    const cap = mode === 'mesh' ? this.caps.meshMaxPeers : this.caps.sfuMaxPeers;
    if (room.peers.size >= cap) throw new ServerError('ROOM_FULL', `room ${roomId} is full (${cap} peers in ${mode} mode)`);
    room.peers.set(peer.id, { ...peer });
    this.rooms.set(roomId, room);
    this.roomOfPeer.set(peer.id, roomId);
    return room;
  }

  /** Removes the peer; returns the room it left (deleted when empty), or null if it was in none. */
  leave(peerId: string): { roomId: string; mode: Mode; remaining: PeerInfo[] } | null {
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

  roomOf(peerId: string): { id: string; mode: Mode } | null {
    const roomId = this.roomOfPeer.get(peerId);
    const room = roomId ? this.rooms.get(roomId) : undefined;
    return room ? { id: room.id, mode: room.mode } : null;
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
    return { id: room.id, mode: room.mode, peers: this.roster(roomId).map((p) => ({ ...p, share: room.shares.get(p.id) ?? null })) };
  }

  /** Counts for metrics: rooms and peers per mode. */
  counts(): Record<Mode, { rooms: number; peers: number }> {
    const counts = { mesh: { rooms: 0, peers: 0 }, sfu: { rooms: 0, peers: 0 } };
    for (const room of this.rooms.values()) {
      counts[room.mode].rooms += 1;
      counts[room.mode].peers += room.peers.size;
    }
    return counts;
  }
}
