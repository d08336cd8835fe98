// Auto rooms: which topology the room should run, and the server's half of a switch. The server
// only decides and announces (room:topology); each participant builds the new path next to the old
// one and breaks the old one itself once the new one carries media (app/lib/call/auto-call.ts). So
// moving to the SFU seats everyone on it first, and moving back leaves each one's SFU media in place
// until that participant says it is done with it (sfu:release).
import type { SignalingContext } from './context';
import type { Mode, TopologyChange } from './protocol';
import { hasPeer } from './rooms';
import { sfuUnavailableReason } from './sfu-service';

/** More than `threshold` participants run on the SFU; up to it, peer to peer. */
export function wantedTopology(participants: number, threshold: number): Mode {
  return participants > threshold ? 'sfu' : 'mesh';
}

export function topologyReason(participants: number, threshold: number): string {
  const who = `${participants} participant${participants === 1 ? '' : 's'}`;
  return participants > threshold ? `${who} > threshold ${threshold}` : `${who} ≤ threshold ${threshold}`;
}

/**
 * Brings an auto room to the topology its head count wants, after a join or a leave. Resolves
 * when decided (never rejects: a switch the SFU cannot take leaves the room where it was, and says
 * so in the announcement). Everyone in the room is told, except a joiner still being seated, who
 * reads the outcome from its join reply.
 */
export function settleTopology(ctx: SignalingContext, roomId: string): Promise<void> {
  return ctx.switches.run(roomId, async () => {
    const room = await ctx.rooms.find(roomId);
    if (!room?.auto) return;
    const participants = room.peers.length;
    const { threshold, topology } = room.auto;
    const want = wantedTopology(participants, threshold);
    if (want === 'mesh') {
      if (topology !== 'mesh') await announce(ctx, roomId, { topology: 'mesh', participants, reason: topologyReason(participants, threshold) });
      return;
    }
    const unavailable = sfuUnavailableReason(ctx.sfu);
    let routerRtpCapabilities: unknown;
    let failure = unavailable;
    const seated: string[] = [];
    // Seat everyone on the SFU before telling anyone to move (a newcomer's join does the same).
    for (const { id: peerId } of room.peers) {
      if (failure) break;
      try {
        ({ routerRtpCapabilities } = await ctx.sfu!.addPeer(roomId, peerId));
        seated.push(peerId);
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
    }
    // The room emptied, or someone left while we waited (after leaveRoom closed their SFU seat):
    // a seat given to them meanwhile must not linger.
    const now = await ctx.rooms.find(roomId);
    const sameRoom = now?.incarnation === room.incarnation;
    for (const peerId of seated) if (!sameRoom || !hasPeer(now, peerId)) ctx.sfu?.closePeer(peerId);
    if (!sameRoom) return;
    if (failure) {
      const reason = `${topologyReason(participants, threshold)}, but the SFU cannot take the room (${failure}): staying on ${topology}`;
      ctx.logger.warn({ roomId, reason }, 'auto room could not move to the SFU');
      if (room.auto.reason !== reason) await announce(ctx, roomId, { topology, participants, reason });
      return;
    }
    if (topology !== 'sfu') await announce(ctx, roomId, { topology: 'sfu', participants, reason: topologyReason(participants, threshold) }, routerRtpCapabilities);
  });
}

async function announce(
  ctx: SignalingContext,
  roomId: string,
  change: Pick<TopologyChange, 'topology' | 'participants' | 'reason'>,
  routerRtpCapabilities?: unknown,
): Promise<void> {
  // One atomic step, so the epoch counts decisions even when two nodes announce at once.
  const auto = await ctx.rooms.store.update(roomId, (room) => {
    if (!room?.auto) return { room, result: null };
    room.auto = { ...room.auto, ...change, epoch: room.auto.epoch + 1, at: Date.now() };
    return { room, result: room.auto };
  });
  if (!auto) return;
  ctx.logger.info({ roomId, epoch: auto.epoch, topology: change.topology, reason: change.reason }, 'auto room topology');
  ctx.io.to(roomId).emit('room:topology', { ...auto, ...(change.topology === 'sfu' ? { routerRtpCapabilities } : {}) });
}
