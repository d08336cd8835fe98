// Live stats: a participant's summary relayed to its room (stats:share -> stats:peer), and the
// SFU's own per-peer rates for the caller's room (stats:server).
import type { SignalingContext, SignalingSocket } from './context';
import { onRequest } from './guard';
import { Seats } from './seats';

export function registerStatsHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  onRequest(
    socket,
    'stats:share',
    async (summary) => {
      const room = await ctx.rooms.requireRoomOf(Seats.peerOf(socket));
      // The server stamps the sender and the time: a client never claims an identity.
      const share = { ...summary, from: Seats.peerOf(socket), at: Date.now() };
      await ctx.rooms.setShare(share);
      socket.to(room.id).emit('stats:peer', share);
      return null;
    },
    ctx.logger,
  );

  onRequest(
    socket,
    'stats:server',
    async () => {
      const room = await ctx.rooms.requireRoomOf(Seats.peerOf(socket));
      if (room.mode === 'mesh' || !ctx.sfu) return [];
      return ctx.sfu.roomRates(room.id);
    },
    ctx.logger,
  );
}
