// Mesh negotiation relay: offers, answers and ICE candidates go to one peer of the sender's room.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import { hasPeer } from './rooms';
import { Seats } from './seats';

export function registerMeshHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  onRequest(
    socket,
    'mesh:signal',
    async (signal) => {
      const room = await ctx.rooms.requireRoomOf(Seats.peerOf(socket));
      // Auto rooms negotiate mesh links whenever they move to (or stay on) mesh.
      if (room.mode === 'sfu') throw new ServerError('BAD_REQUEST', `room ${room.id} is an SFU room; mesh:signal is for mesh rooms`);
      const { to, ...body } = signal;
      if (to === Seats.peerOf(socket) || !hasPeer(room, to)) {
        throw new ServerError('PEER_NOT_FOUND', `peer ${to} is not in room ${room.id}`);
      }
      // The server stamps the sender: a client never claims an identity.
      ctx.io.to(to).emit('mesh:signal', { ...body, from: Seats.peerOf(socket) });
      return null;
    },
    ctx.logger,
  );
}
