// SFU requests, validated like every other message and forwarded to the SFU service as plain data.
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { onRequest } from './guard';
import type { ClientEvent, ClientReplies, ClientRequest } from './protocol';
import { leaveRoom } from './room-handlers';
import { topologyOf } from './rooms';
import { Seats } from './seats';
import type { SfuService } from './sfu-service';

type SfuEvent = ClientEvent & `sfu:${string}`;

export function registerSfuHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  /** Registers one SFU request; the handler runs only for a peer that is in an SFU room. */
  const on = <E extends SfuEvent>(
    event: E,
    fn: (sfu: SfuService, data: ClientRequest<E>, peerId: string) => Promise<ClientReplies[E]> | ClientReplies[E],
  ) =>
    onRequest(
      socket,
      event,
      async (data) => {
        // Read per request: a socket that resumed a seat speaks for that seat's peer id.
        const peerId = Seats.peerOf(socket);
        const room = await ctx.rooms.roomOf(peerId);
        // An auto room's participant keeps its SFU media through a switch to mesh, until it releases it.
        if (!room || room.mode === 'mesh' || !ctx.sfu) {
          throw new ServerError('NOT_IN_ROOM', `peer ${peerId} is not in an SFU room; join one with mode=sfu first`);
        }
        return fn(ctx.sfu, data, peerId);
      },
      ctx.logger,
    );

  on('sfu:createTransport', (sfu, { direction }, peerId) => sfu.createTransport(peerId, direction));
  on('sfu:connectTransport', async (sfu, { transportId, dtlsParameters }, peerId) => {
    await sfu.connectTransport(peerId, transportId, dtlsParameters);
    return null;
  });
  on('sfu:restartIce', (sfu, { transportId }, peerId) => sfu.restartIce(peerId, transportId));
  on('sfu:produce', (sfu, request, peerId) => sfu.produce(peerId, request));
  on('sfu:listProducers', (sfu, _data, peerId) => sfu.listProducers(peerId));
  on('sfu:consume', (sfu, { producerId, rtpCapabilities }, peerId) => sfu.consume(peerId, producerId, rtpCapabilities));
  on('sfu:resumeConsumer', async (sfu, { consumerId }, peerId) => {
    await sfu.resumeConsumer(peerId, consumerId);
    return null;
  });
  on('sfu:setPreferredLayers', async (sfu, { consumerId, spatialLayer }, peerId) => {
    await sfu.setPreferredLayers(peerId, consumerId, spatialLayer);
    return null;
  });
  on('sfu:pauseProducer', async (sfu, { producerId }, peerId) => {
    await sfu.pauseProducer(peerId, producerId);
    return null;
  });
  on('sfu:resumeProducer', async (sfu, { producerId }, peerId) => {
    await sfu.resumeProducer(peerId, producerId);
    return null;
  });
  on('sfu:closeProducer', (sfu, { producerId }, peerId) => {
    sfu.closeProducer(peerId, producerId);
    return null;
  });
  on('sfu:produceData', (sfu, request, peerId) => sfu.produceData(peerId, request));
  on('sfu:listDataProducers', (sfu, _data, peerId) => sfu.listDataProducers(peerId));
  on('sfu:consumeData', (sfu, { dataProducerId }, peerId) => sfu.consumeData(peerId, dataProducerId));
  on('sfu:release', async (sfu, _data, peerId) => {
    const room = await ctx.rooms.requireRoomOf(peerId);
    if (room.mode !== 'auto') throw new ServerError('BAD_REQUEST', `room ${room.id} is an SFU room; sfu:release is for auto rooms (leave instead)`);
    // Back on mesh the seat goes too; on the SFU (the room moved back meanwhile) it stays, empty.
    if (topologyOf(room) === 'mesh') sfu.closePeer(peerId);
    else sfu.releaseMedia(peerId);
    return null;
  });
}

/** Forwards the SFU's own events (new/closed producers, lost rooms) to the peers they concern. */
export function forwardSfuEvents(ctx: SignalingContext, sfu: SfuService): void {
  sfu.on('newProducer', (roomId, info) => ctx.io.to(roomId).except(info.peerId).emit('sfu:newProducer', info));
  sfu.on('newDataProducer', (roomId, info) => ctx.io.to(roomId).except(info.peerId).emit('sfu:newDataProducer', info));
  sfu.on('producerClosed', (roomId, info) => ctx.io.to(roomId).emit('sfu:producerClosed', info));
  sfu.on('consumerClosed', (peerId, info) => ctx.io.to(peerId).emit('sfu:consumerClosed', info));
  // Volatile: a report lost to a busy socket is superseded by the next one within a second.
  sfu.on('activeSpeaker', (roomId, info) => ctx.io.to(roomId).volatile.emit('sfu:activeSpeaker', info));
  sfu.on('producerLayers', (peerId, info) => ctx.io.to(peerId).emit('sfu:producerLayers', info));
  sfu.on('roomReset', (roomId, peerIds, reason) => {
    ctx.logger.warn({ roomId, peers: peerIds.length, reason }, 'SFU room reset; peers must rejoin');
    // Out of the room's broadcasts before anyone leaves: each of them rejoins on the same socket,
    // so with the same peer id, and a roster from another's leave lists its old seat; arriving
    // while its rejoin is under way, that roster would read as newer than its join reply (and it
    // kept a roster missing whoever rejoined after it). Peers elsewhere (a cluster) still hear.
    for (const id of peerIds) ctx.io.in(id).socketsLeave(roomId);
    for (const id of peerIds) {
      ctx.io.to(id).emit('sfu:reset', { reason });
      void leaveRoom(ctx, id);
    }
  });
}
