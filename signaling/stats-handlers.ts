// Live stats: a participant's summary relayed to its room (stats:share -> stats:peer), and the
// SFU's own per-peer rates for the caller's room (stats:server).
import type { SignalingContext, SignalingSocket } from './context';
import { handle } from './guard';
import { emptySchema, statsShareSchema, type ServerPeerRates } from './protocol';

export function registerStatsHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  socket.on(
    'stats:share',
    handle(
      statsShareSchema,
      (summary) => {
        const room = ctx.rooms.requireRoomOf(socket.id);
        // The server stamps the sender and the time: a client never claims an identity.
        socket.to(room.id).emit('stats:peer', { ...summary, from: socket.id, at: Date.now() });
        return null;
      },
      ctx.logger,
    ),
  );

  socket.on(
    'stats:server',
    handle(
      emptySchema,
      async (): Promise<ServerPeerRates[]> => {
        const room = ctx.rooms.requireRoomOf(socket.id);
        if (room.mode !== 'sfu' || !ctx.sfu) return [];
        const rates = (await ctx.sfu.rates()).find((r) => r.roomId === room.id);
        return (rates?.peers ?? []).map((peer) => {
          const sum = (pick: (t: (typeof peer.transports)[number]) => number) =>
            peer.transports.reduce((total, t) => total + pick(t), 0);
          return {
            peerId: peer.peerId,
            recvBitrate: sum((t) => t.recvBitrate),
            sendBitrate: sum((t) => t.sendBitrate),
            bytesReceived: sum((t) => t.bytesReceived),
            bytesSent: sum((t) => t.bytesSent),
          };
        });
      },
      ctx.logger,
    ),
  );
}
