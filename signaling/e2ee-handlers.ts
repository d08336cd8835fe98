// E2EE key relay: a participant's public key and wrapped media key go to one other participant of
// its end-to-end encrypted room, stamped with the sender. The server sees only public keys and
// ciphertext it has no key for.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import { hasPeer } from './rooms';
import { Seats } from './seats';

export function registerE2eeHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  onRequest(
    socket,
    'e2ee:key',
    async ({ to, ...body }) => {
      const from = Seats.peerOf(socket);
      const room = await ctx.rooms.requireRoomOf(from);
      if (!room.e2ee) throw new ServerError('BAD_REQUEST', `room ${room.id} is not end-to-end encrypted; e2ee:key is for rooms joined with e2ee`);
      if (to === from || !hasPeer(room, to)) throw new ServerError('PEER_NOT_FOUND', `peer ${to} is not in room ${room.id}`);
      ctx.io.to(to).emit('e2ee:key', { ...body, from });
      return null;
    },
    ctx.logger,
  );
}
