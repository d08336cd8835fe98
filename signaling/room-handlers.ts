// Joining, leaving, media state and disconnects: everything that changes a room's roster.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import { sfuUnavailableReason } from './sfu-service';

export function registerRoomHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  const { rooms, logger } = ctx;

  onRequest(
    socket,
    'join',
    async ({ roomId, name, mode, media }) => {
      const existing = rooms.roomOf(socket.id);
      if (existing) throw new ServerError('ALREADY_IN_ROOM', `already in room ${existing.id}; leave first`);
      // Registry first, so a wrong mode is reported as MODE_MISMATCH whatever the SFU's state.
      rooms.join(roomId, mode, { id: socket.id, name, media: media ?? { audio: false, video: false } });
      let routerRtpCapabilities: unknown;
      if (mode === 'sfu') {
        try {
          const reason = sfuUnavailableReason(ctx.sfu);
          if (reason) throw new ServerError('SFU_UNAVAILABLE', reason);
          ({ routerRtpCapabilities } = await ctx.sfu!.addPeer(roomId, socket.id));
        } catch (err) {
          rooms.leave(socket.id);
          throw err;
        }
      }
      await socket.join(roomId);
      logger.info({ peerId: socket.id, roomId, mode }, 'peer joined');
      const peers = rooms.roster(roomId);
      socket.to(roomId).emit('room:roster', { peers });
      return {
        selfId: socket.id,
        mode,
        peers,
        iceServers: ctx.iceServersFor(socket.id),
        iceTtlSeconds: ctx.iceTtlSeconds,
        routerRtpCapabilities,
      };
    },
    logger,
  );

  onRequest(
    socket,
    'leave',
    () => {
      if (!leaveRoom(ctx, socket.id)) throw new ServerError('NOT_IN_ROOM', `peer ${socket.id} has not joined a room`);
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'media:state',
    (media) => {
      const room = rooms.requireRoomOf(socket.id);
      ctx.io.to(room.id).emit('room:roster', { peers: rooms.setMedia(socket.id, media) });
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'ice:refresh',
    () => {
      rooms.requireRoomOf(socket.id);
      return { iceServers: ctx.iceServersFor(socket.id), iceTtlSeconds: ctx.iceTtlSeconds };
    },
    logger,
  );

  socket.on('disconnect', (reason) => {
    if (leaveRoom(ctx, socket.id)) logger.info({ peerId: socket.id, reason }, 'peer disconnected');
  });
}

/** Removes a peer from its room and its media from the SFU, and tells the others. */
export function leaveRoom(ctx: SignalingContext, peerId: string): boolean {
  const left = ctx.rooms.leave(peerId);
  if (!left) return false;
  if (left.mode === 'sfu') ctx.sfu?.closePeer(peerId);
  ctx.io.in(peerId).socketsLeave(left.roomId);
  ctx.io.to(left.roomId).emit('room:roster', { peers: left.remaining });
  return true;
}
