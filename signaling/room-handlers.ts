// Joining, resuming, leaving, media state and disconnects: everything that changes a room's roster.
// A dropped socket does not leave at once: its seat is held for the grace period (the roster says
// "reconnecting"), and a resume with the seat's token within it keeps the same peer id. A join
// passes the room's access rules first (room-access.ts); a resume needs none: its token proves
// membership, unless the host removed that seat.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import { settleTopology } from './auto-topology';
import type { ClusterNode, JoinReply, MediaState, RoomMode } from './protocol';
import { signResumeToken, verifyResumeToken, type SeatClaims } from './resume-token';
import { isGuarded, isLocked } from './room-access';
import { rosterOf, topologyOf } from './rooms';
import { Seats } from './seats';
import { sfuUnavailableReason } from './sfu-service';

/** A token outlives any call; the seat itself is only held for the grace period. */
export const RESUME_TOKEN_TTL_MS = 12 * 3600_000;

export function registerRoomHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  const { rooms, logger, seats, access } = ctx;
  const peerId = () => Seats.peerOf(socket);

  const reply = async (roomId: string, mode: RoomMode, extra: Pick<JoinReply, 'routerRtpCapabilities' | 'restored' | 'auto'> = {}): Promise<JoinReply> => {
    const room = await rooms.find(roomId);
    const peers = rosterOf(room);
    const self = peers.find((p) => p.id === peerId());
    const seat = { roomId, peerId: peerId(), mode, name: self?.name ?? '', bootId: ctx.bootId, guarded: isGuarded(room) };
    return {
      selfId: peerId(),
      resumeToken: signResumeToken(ctx.resumeSecret, seat, RESUME_TOKEN_TTL_MS),
      mode,
      peers,
      locked: isLocked(room),
      ...(room?.e2ee ? { e2ee: true } : {}),
      iceServers: ctx.iceServersFor(peerId()),
      iceTtlSeconds: ctx.iceTtlSeconds,
      ...(ctx.nodeId ? { cluster: { node: ctx.nodeId, nodes: await clusterNodes(ctx) } } : {}),
      ...extra,
    };
  };

  onRequest(
    socket,
    'join',
    async ({ roomId, name, mode, media, passcode, sfuAbove, e2ee }) => {
      const existing = await rooms.roomOf(peerId());
      if (existing) throw new ServerError('ALREADY_IN_ROOM', `already in room ${existing.id}; leave first`);
      const id = socket.id;
      // Access first (an outsider learns nothing about the room, not even its mode), then the
      // registry, so a wrong mode is reported as MODE_MISMATCH whatever the SFU's state.
      const seat = { id, name, media: media ?? { audio: false, video: false }, ...(ctx.nodeId ? { node: ctx.nodeId } : {}) };
      await access.admit({ roomId, passcode, address: socket.handshake.address }, (admit) => rooms.join(roomId, mode, seat, { sfuAbove, e2ee }, admit));
      // An auto room first settles what this join makes of it: the joiner starts on the result.
      if (mode === 'auto') await settleTopology(ctx, roomId);
      await seats.bind(socket, id);
      await socket.join(roomId);
      // Read after joining the socket room: any later change reaches this joiner as room:topology.
      const room = await rooms.find(roomId);
      const auto = room?.auto;
      let routerRtpCapabilities: unknown;
      if (room && topologyOf(room) === 'sfu') {
        try {
          const reason = sfuUnavailableReason(ctx.sfu);
          if (reason) throw new ServerError('SFU_UNAVAILABLE', reason);
          ({ routerRtpCapabilities } = await ctx.sfu!.addPeer(roomId, id));
        } catch (err) {
          await leaveRoom(ctx, id);
          throw err;
        }
      }
      logger.info({ peerId: id, roomId, mode, topology: auto?.topology }, 'peer joined');
      socket.to(roomId).emit('room:roster', { peers: await rooms.roster(roomId) });
      return reply(roomId, mode, { routerRtpCapabilities, ...(auto ? { auto } : {}) });
    },
    logger,
  );

  onRequest(
    socket,
    'resume',
    async ({ roomId, token, media }) => {
      const current = await rooms.roomOf(peerId());
      if (current) throw new ServerError('ALREADY_IN_ROOM', `this connection is already in room ${current.id}`);
      const seat = verifyResumeToken(ctx.resumeSecret, token, roomId);
      const id = seat.peerId;
      if (await access.isRevoked(id)) throw new ServerError('REMOVED', `the host removed peer ${id} from room ${roomId}; its seat cannot be resumed`);
      const room = await rooms.roomOf(id);
      if (room && room.id !== roomId) throw new ServerError('RESUME_REFUSED', `peer ${id} is seated in another room`);
      if (room && room.topology === 'sfu') await refuseMovedSfuSeat(ctx, room.id, id);
      const restored = !room && (await restoreSeat(ctx, seat, media));
      if (!room && !restored) {
        const why = seat.bootId === ctx.bootId ? 'the grace period ended' : 'the server restarted and SFU media cannot be restored';
        throw new ServerError('RESUME_REFUSED', `peer ${id} no longer has a seat in room ${roomId} (${why}); join again`);
      }
      // A half-open old socket may still hold the seat: the newest connection wins it.
      for (const old of await ctx.io.in(id).fetchSockets()) if (old.id !== socket.id) old.disconnect(true);
      await seats.bind(socket, id);
      await socket.join(roomId);
      const peers = restored ? await rooms.roster(roomId) : await rooms.resumed(id, ctx.nodeId);
      logger.info({ peerId: id, roomId, restored }, restored ? 'peer resumed a seat rebuilt from its token' : 'peer resumed');
      socket.to(roomId).emit('room:roster', { peers });
      // An auto room may have moved while this seat was away: say where it is now.
      const auto = (await rooms.find(roomId))?.auto;
      const routerRtpCapabilities = auto?.topology === 'sfu' && ctx.sfu ? (await ctx.sfu.addPeer(roomId, id)).routerRtpCapabilities : undefined;
      return reply(roomId, seat.mode, { ...(restored ? { restored: { holdMs: seats.graceMs } } : {}), ...(auto ? { auto, routerRtpCapabilities } : {}) });
    },
    logger,
  );

  onRequest(
    socket,
    'leave',
    async () => {
      if (!(await leaveRoom(ctx, peerId()))) throw new ServerError('NOT_IN_ROOM', `peer ${peerId()} has not joined a room`);
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'media:state',
    async (media) => {
      const room = await rooms.requireRoomOf(peerId());
      ctx.io.to(room.id).emit('room:roster', { peers: await rooms.setMedia(peerId(), media) });
      return null;
    },
    logger,
  );

  onRequest(
    socket,
    'ice:refresh',
    async () => {
      await rooms.requireRoomOf(peerId());
      return { iceServers: ctx.iceServersFor(peerId()), iceTtlSeconds: ctx.iceTtlSeconds };
    },
    logger,
  );

  socket.on('disconnect', (reason) => {
    void onDisconnect(ctx, socket, reason).catch((err: unknown) => logger.error({ err, peerId: peerId() }, 'disconnect handling failed'));
  });
}

async function onDisconnect(ctx: SignalingContext, socket: SignalingSocket, reason: string): Promise<void> {
  const { rooms, seats, logger } = ctx;
  const id = Seats.peerOf(socket);
  // A newer socket already took this seat (resume), or the peer left: nothing to hold.
  if (!seats.holds(socket)) return;
  const room = await rooms.roomOf(id);
  if (!room) return seats.release(id);
  // The client closed the socket itself (tab closed, page left): it is not coming back.
  if (reason === 'client namespace disconnect') {
    if (await leaveRoom(ctx, id)) logger.info({ peerId: id, reason }, 'peer left by closing its connection');
    return;
  }
  logger.info({ peerId: id, reason, graceMs: seats.graceMs }, 'peer disconnected; seat held');
  const peers = await rooms.setReconnecting(id, true);
  // A resume may have taken the seat while the store answered: it is no longer ours to hold.
  if (!seats.holds(socket)) return;
  ctx.io.to(room.id).emit('room:roster', { peers });
  seats.hold(id, () => {
    void leaveRoom(ctx, id).then((left) => left && logger.info({ peerId: id }, 'seat released after the grace period'));
  });
}

/**
 * A restarted server has no seats, but a mesh call's media never needed it: rebuild the seat from
 * the token (same peer id, name and mode) so everyone keeps their peer connections. Only for a
 * token another server process signed (a seat this process released after its grace period is
 * gone for good: the others already dropped it), and never for SFU seats, whose media died with
 * the server. Room caps and modes still apply (MODE_MISMATCH, ROOM_FULL).
 */
async function restoreSeat(ctx: SignalingContext, seat: SeatClaims, media: MediaState | undefined): Promise<boolean> {
  if (seat.bootId === ctx.bootId || seat.mode !== 'mesh') return false;
  const peer = { id: seat.peerId, name: seat.name, media: media ?? { audio: false, video: false }, ...(ctx.nodeId ? { node: ctx.nodeId } : {}) };
  try {
    // The new process never saw the room's passcode: a room this seat (re)creates starts locked
    // when the token says it was guarded.
    await ctx.rooms.join(seat.roomId, seat.mode, peer, {}, (room) => (room ? undefined : { passcode: null, locked: !!seat.guarded }));
  } catch (err) {
    // The room was taken meanwhile (another mode) or filled up: a plain join will say so.
    throw new ServerError('RESUME_REFUSED', `could not rebuild the seat after the server restarted (${err instanceof Error ? err.message : String(err)}); join again`);
  }
  return true;
}

/**
 * A seat whose SFU media lived on another node (which died, so the browser came here) cannot be
 * resumed: that media is gone. The seat goes, and the browser joins again, on this node's SFU.
 */
async function refuseMovedSfuSeat(ctx: SignalingContext, roomId: string, peerId: string): Promise<void> {
  const node = (await ctx.rooms.find(roomId))?.peers.find((p) => p.id === peerId)?.node;
  if (!ctx.nodeId || !node || node === ctx.nodeId) return;
  await leaveRoom(ctx, peerId);
  throw new ServerError('RESUME_REFUSED', `peer ${peerId}'s SFU media was on node ${node}, not this one (${ctx.nodeId}); join again`);
}

/** The live nodes, this one first: where a browser goes when its node dies. */
async function clusterNodes(ctx: SignalingContext): Promise<ClusterNode[]> {
  const nodes = (await ctx.liveNodes?.()) ?? [];
  return [...nodes.filter((n) => n.id === ctx.nodeId), ...nodes.filter((n) => n.id !== ctx.nodeId)];
}

/** Removes a peer from its room and its media from the SFU, and tells the others. */
export async function leaveRoom(ctx: SignalingContext, peerId: string): Promise<boolean> {
  ctx.seats.release(peerId);
  const left = await ctx.rooms.leave(peerId);
  if (!left) return false;
  if (left.mode !== 'mesh') ctx.sfu?.closePeer(peerId);
  ctx.io.in(peerId).socketsLeave(left.roomId);
  ctx.io.to(left.roomId).emit('room:roster', { peers: left.remaining });
  if (left.mode === 'auto') void settleTopology(ctx, left.roomId);
  return true;
}
