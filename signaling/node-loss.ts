// A server node died: its participants' signaling died with it. Their seats are held as for any
// dropped connection (the roster says "reconnecting") and released after the grace period, unless
// they resume meanwhile, on this node or another (the browser reconnects by itself).
import type { SignalingContext } from './context';
import { leaveRoom } from './room-handlers';

/** Holds the seats of every participant of the lost node; returns how many. */
export async function holdLostNodeSeats(ctx: SignalingContext, lostNodeId: string): Promise<number> {
  let held = 0;
  for (const room of await ctx.rooms.store.list()) {
    const lost = room.peers.filter((p) => p.node === lostNodeId);
    for (const peer of lost) {
      ctx.io.to(room.id).emit('room:roster', { peers: await ctx.rooms.setReconnecting(peer.id, true) });
      setTimeout(() => void releaseIfStillLost(ctx, peer.id, lostNodeId), ctx.seats.graceMs).unref();
      held += 1;
    }
  }
  if (held) ctx.logger.warn({ node: lostNodeId, seats: held, graceMs: ctx.seats.graceMs }, 'a server node was lost; its participants\' seats are held');
  return held;
}

async function releaseIfStillLost(ctx: SignalingContext, peerId: string, lostNodeId: string): Promise<void> {
  try {
    const room = await ctx.rooms.requireRoomOf(peerId);
    // Resumed meanwhile (on a live node): nothing to release.
    if (room.peers.find((p) => p.id === peerId)?.node !== lostNodeId) return;
    if (await leaveRoom(ctx, peerId)) ctx.logger.info({ peerId, node: lostNodeId }, 'seat of a lost node released after the grace period');
  } catch {
    // Already gone (left, or its room emptied).
  }
}
