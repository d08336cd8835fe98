// Joining, resuming, leaving, media state and disconnects: everything that changes a room's roster.
// A dropped socket does not leave at once: its seat is held for the grace period (the roster says
// "reconnecting"), and a resume with the seat's token within it keeps the same peer id. A join
// passes the room's access rules first (room-access.ts); a resume needs none: its token proves
// membership, unless the host removed that seat.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import { settleTopology } from './auto-topology';
import type { JoinReply, MediaState, RoomMode } from './protocol';
import { signResumeToken, verifyResumeToken, type SeatClaims } from './resume-token';
import { topologyOf } from './rooms';
import { Seats } from './seats';
import { sfuUnavailableReason } from './sfu-service';

/** A token outlives any call; the seat itself is only held for the grace period. */
export const RESUME_TOKEN_TTL_MS = 12 * 3600_000;

export function registerRoomHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  const { rooms, logger, seats, access } = ctx;
  const peerId = () => Seats.peerOf(socket);

  const reply = (roomId: string, mode: RoomMode, extra: Pick<JoinReply, 'routerRtpCapabilities' | 'restored' | 'auto'> = {}): JoinReply => {
    const self = rooms.roster(roomId).find((p) => p.id === peerId());
    const seat = { roomId, peerId: peerId(), mode, name: self?.name ?? '', bootId: ctx.bootId, guarded: access.isGuarded(roomId) };
    return {
      selfId: peerId(),
      resumeToken: signResumeToken(ctx.resumeSecret, seat, RESUME_TOKEN_TTL_MS),
      mode,
      peers: rooms.roster(roomId),
      locked: access.isLocked(roomId),
      ...(rooms.find(roomId)?.e2ee ? { e2ee: true } : {}),
      iceServers: ctx.iceServersFor(peerId()),
      iceTtlSeconds: ctx.iceTtlSeconds,
      ...extra,
    };
  };

  onRequest(
    socket,
    'join',
    async ({ roomId, name, mode, media, passcode, sfuAbove, e2ee }) => {
      const existing = rooms.roomOf(peerId());
      if (existing) throw new ServerError('ALREADY_IN_ROOM', `already in room ${existing.id}; leave first`);
      const id = socket.id;
      // Access first (an outsider learns nothing about the room, not even its mode), then the
      // registry, so a wrong mode is reported as MODE_MISMATCH whatever the SFU's state.
      const room = await access.admit({ roomId, passcode, address: socket.handshake.address }, () =>
        rooms.join(roomId, mode, { id, name, media: media ?? { audio: false, video: false } }, { sfuAbove, e2ee }),
      );
      // An auto room first settles what this join makes of it: the joiner starts on the result.
      if (mode === 'auto') await settleTopology(ctx, roomId);
      await seats.bind(socket, id);
      await socket.join(roomId);
      // Read after joining the socket room: any later change reaches this joiner as room:topology.
      const auto = room.auto;
      let routerRtpCapabilities: unknown;
      if (topologyOf(room) === 'sfu') {
        try {
          const reason = sfuUnavailableReason(ctx.sfu);
          if (reason) throw new ServerError('SFU_UNAVAILABLE', reason);
          ({ routerRtpCapabilities } = await ctx.sfu!.addPeer(roomId, id));
        } catch (err) {
          leaveRoom(ctx, id);
          throw err;
        }
      }
      logger.info({ peerId: id, roomId, mode, topology: auto?.topology }, 'peer joined');
      socket.to(roomId).emit('room:roster', { peers: rooms.roster(roomId) });
      return reply(roomId, mode, { routerRtpCapabilities, ...(auto ? { auto } : {}) });
    },
    logger,
  );

  onRequest(
    socket,
    'resume',
    async ({ roomId, token, media }) => {
      const current = rooms.roomOf(peerId());
      if (current) throw new ServerError('ALREADY_IN_ROOM', `this connection is already in room ${current.id}`);
      const seat = verifyResumeToken(ctx.resumeSecret, token, roomId);
      const id = seat.peerId;
      if (access.isRevoked(id)) throw new ServerError('REMOVED', `the host removed peer ${id} from room ${roomId}; its seat cannot be resumed`);
      const room = rooms.roomOf(id);
      if (room && room.id !== roomId) throw new ServerError('RESUME_REFUSED', `peer ${id} is seated in another room`);
      const restored = !room && restoreSeat(ctx, seat, media);
      if (!room && !restored) {
        const why = seat.bootId === ctx.bootId ? 'the grace period ended' : 'the server restarted and SFU media cannot be restored';
        throw new ServerError('RESUME_REFUSED', `peer ${id} no longer has a seat in room ${roomId} (${why}); join again`);
      }
      // A half-open old socket may still hold the seat: the newest connection wins it.
      for (const old of await ctx.io.in(id).fetchSockets()) if (old.id !== socket.id) old.disconnect(true);
      await seats.bind(socket, id);
      await socket.join(roomId);
      const peers = restored ? rooms.roster(roomId) : rooms.setReconnecting(id, false);
      logger.info({ peerId: id, roomId, restored }, restored ? 'peer resumed a seat rebuilt from its token' : 'peer resumed');
      socket.to(roomId).emit('room:roster', { peers });
      // An auto room may have moved while this seat was away: say where it is now.
      const auto = rooms.find(roomId)?.auto;
      const routerRtpCapabilities = auto?.topology === 'sfu' && ctx.sfu ? (await ctx.sfu.addPeer(roomId, id)).routerRtpCapabilities : undefined;
      return reply(roomId, seat.mode, { ...(restored ? { restored: { holdMs: seats.graceMs } } : {}), ...(auto ? { auto, routerRtpCapabilities } : {}) });
    },
    logger,
  );

  onRequest(
    socket,
    'leave',
    () => {
      if (!leaveRoom(ctx, peerId())) throw new ServerError('NOT_IN_ROOM', `peer ${peerId()} has not joined a room`);
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'media:state',
    (media) => {
      const room = rooms.requireRoomOf(peerId());
      ctx.io.to(room.id).emit('room:roster', { peers: rooms.setMedia(peerId(), media) });
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'ice:refresh',
    () => {
      rooms.requireRoomOf(peerId());
      return { iceServers: ctx.iceServersFor(peerId()), iceTtlSeconds: ctx.iceTtlSeconds };
    },
    logger,
  );

  socket.on('disconnect', (reason) => {
    const id = peerId();
    // A newer socket already took this seat (resume), or the peer left: nothing to hold.
    if (!seats.holds(socket)) return;
    const room = rooms.roomOf(id);
    if (!room) return seats.release(id);
    // The client closed the socket itself (tab closed, page left): it is not coming back.
    if (reason === 'client namespace disconnect') {
      if (leaveRoom(ctx, id)) logger.info({ peerId: id, reason }, 'peer left by closing its connection');
      return;
    }
    logger.info({ peerId: id, reason, graceMs: seats.graceMs }, 'peer disconnected; seat held');
    ctx.io.to(room.id).emit('room:roster', { peers: rooms.setReconnecting(id, true) });
    seats.hold(id, () => {
      if (leaveRoom(ctx, id)) logger.info({ peerId: id }, 'seat released after the grace period');
    });
  });
}

/**
 * A restarted server has no seats, but a mesh call's media never needed it: rebuild the seat from
 * the token (same peer id, name and mode) so everyone keeps their peer connections. Only for a
 * token another server process signed (a seat this process released after its grace period is
 * gone for good: the others already dropped it), and never for SFU seats, whose media died with
 * the server. Room caps and modes still apply (MODE_MISMATCH, ROOM_FULL).
 */
function restoreSeat(ctx: SignalingContext, seat: SeatClaims, media: MediaState | undefined): boolean {
  if (seat.bootId === ctx.bootId || seat.mode !== 'mesh') return false;
  try {
    const room = ctx.rooms.join(seat.roomId, seat.mode, { id: seat.peerId, name: seat.name, media: media ?? { audio: false, video: false } });
    ctx.access.restored(room, !!seat.guarded);
  } catch (err) {
    // The room was taken meanwhile (another mode) or filled up: a plain join will say so.
    throw new ServerError('RESUME_REFUSED', `could not rebuild the seat after the server restarted (${err instanceof Error ? err.message : String(err)}); join again`);
  }
  return true;
}

/** Removes a peer from its room and its media from the SFU, and tells the others. */
export function leaveRoom(ctx: SignalingContext, peerId: string): boolean {
  ctx.seats.release(peerId);
  const left = ctx.rooms.leave(peerId);
  if (!left) return false;
  if (left.mode !== 'mesh') ctx.sfu?.closePeer(peerId);
  ctx.io.in(peerId).socketsLeave(left.roomId);
  ctx.io.to(left.roomId).emit('room:roster', { peers: left.remaining });
  if (left.mode === 'auto') void settleTopology(ctx, left.roomId);
  return true;
}
