// What the room's host may do: remove a participant, lock the room. The host is the first of the
// roster (its creator, then the longest-present participant); anyone else gets FORBIDDEN.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import { hasPeer, type Room } from './rooms';
import { leaveRoom, RESUME_TOKEN_TTL_MS } from './room-handlers';
import { Seats } from './seats';

export function registerHostHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  const { rooms, access, logger } = ctx;

  /** The caller's room, when the caller is its host. */
  const hostedRoom = async (): Promise<{ room: Room; hostId: string }> => {
    const hostId = Seats.peerOf(socket);
    const room = await rooms.requireRoomOf(hostId);
    if (room.peers[0]?.id !== hostId) {
      throw new ServerError('FORBIDDEN', `only the host of room ${room.id} may do that`);
    }
    return { room, hostId };
  };

  onRequest(
    socket,
    'host:remove',
    async ({ peerId }) => {
      const { room, hostId } = await hostedRoom();
      if (peerId === hostId) throw new ServerError('BAD_REQUEST', 'the host cannot remove itself; leave the call instead');
      if (!hasPeer(room, peerId)) throw new ServerError('PEER_NOT_FOUND', `peer ${peerId} is not in room ${room.id}`);
      // Revoked before anything else, so a resume racing this removal cannot take the seat back.
      await access.revoke(peerId, RESUME_TOKEN_TTL_MS);
      ctx.io.to(peerId).emit('room:removed', { code: 'REMOVED', message: 'The host removed you from this call.' });
      // Leaving closes its SFU transports and tells everyone (mesh peers drop their connection to it).
      await leaveRoom(ctx, peerId);
      // Its seat is released first, so this disconnect is not mistaken for a network drop (no grace).
      ctx.io.in(peerId).disconnectSockets(true);
      logger.info({ roomId: room.id, peerId, by: hostId }, 'host removed a participant');
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'host:lock',
    async ({ locked }) => {
      const { room, hostId } = await hostedRoom();
      await access.setLocked(room.id, locked);
      ctx.io.to(room.id).emit('room:lock', { locked });
      logger.info({ roomId: room.id, locked, by: hostId }, locked ? 'host locked the room' : 'host unlocked the room');
      return { locked };
    },
    logger,
  );
}
