// SFU requests, validated like every other message and forwarded to the SFU service as plain data.
import type { z } from 'zod';
import type { SignalingContext, SignalingSocket } from './context';
import { ServerError } from './errors';
import { handle } from './guard';
import {
  emptySchema,
  sfuConnectTransportSchema,
  sfuConsumeDataSchema,
  sfuConsumeSchema,
  sfuConsumerIdSchema,
  sfuCreateTransportSchema,
  sfuProduceDataSchema,
  sfuProduceSchema,
  sfuProducerIdSchema,
  type ClientToServerEvents,
} from './protocol';
import { leaveRoom } from './room-handlers';
import type { SfuService } from './sfu-service';

export function registerSfuHandlers(ctx: SignalingContext, socket: SignalingSocket): void {
  const peerId = socket.id;

  /** Registers one SFU request; the handler runs only for a peer that is in an SFU room. */
  const on = <S extends z.ZodType, T>(
    event: keyof ClientToServerEvents & `sfu:${string}`,
    schema: S,
    fn: (sfu: SfuService, data: z.infer<S>) => Promise<T> | T,
  ) => {
    const listener = handle(
      schema,
      (data) => {
        const room = ctx.rooms.roomOf(peerId);
        if (!room || room.mode !== 'sfu' || !ctx.sfu) {
          throw new ServerError('NOT_IN_ROOM', `peer ${peerId} is not in an SFU room; join one with mode=sfu first`);
        }
        return fn(ctx.sfu, data);
      },
      ctx.logger,
    );
    socket.on(event, listener as never);
  };

  on('sfu:createTransport', sfuCreateTransportSchema, (sfu, { direction }) => sfu.createTransport(peerId, direction));
  on('sfu:connectTransport', sfuConnectTransportSchema, async (sfu, { transportId, dtlsParameters }) => {
    await sfu.connectTransport(peerId, transportId, dtlsParameters);
    return null;
  });
  on('sfu:produce', sfuProduceSchema, (sfu, request) => sfu.produce(peerId, request));
  on('sfu:listProducers', emptySchema, (sfu) => sfu.listProducers(peerId));
  on('sfu:consume', sfuConsumeSchema, (sfu, { producerId, rtpCapabilities }) =>
    sfu.consume(peerId, producerId, rtpCapabilities),
  );
  on('sfu:resumeConsumer', sfuConsumerIdSchema, async (sfu, { consumerId }) => {
    await sfu.resumeConsumer(peerId, consumerId);
    return null;
  });
  on('sfu:pauseProducer', sfuProducerIdSchema, async (sfu, { producerId }) => {
    await sfu.pauseProducer(peerId, producerId);
    return null;
  });
  on('sfu:resumeProducer', sfuProducerIdSchema, async (sfu, { producerId }) => {
    await sfu.resumeProducer(peerId, producerId);
    return null;
  });
  on('sfu:produceData', sfuProduceDataSchema, (sfu, request) => sfu.produceData(peerId, request));
  on('sfu:listDataProducers', emptySchema, (sfu) => sfu.listDataProducers(peerId));
  on('sfu:consumeData', sfuConsumeDataSchema, (sfu, { dataProducerId }) => sfu.consumeData(peerId, dataProducerId));
}

/** Forwards the SFU's own events (new/closed producers, lost rooms) to the peers they concern. */
export function forwardSfuEvents(ctx: SignalingContext, sfu: SfuService): void {
  sfu.on('newProducer', (roomId, info) => ctx.io.to(roomId).except(info.peerId).emit('sfu:newProducer', info));
  sfu.on('newDataProducer', (roomId, info) => ctx.io.to(roomId).except(info.peerId).emit('sfu:newDataProducer', info));
  sfu.on('producerClosed', (roomId, info) => ctx.io.to(roomId).emit('sfu:producerClosed', info));
  sfu.on('consumerClosed', (peerId, info) => ctx.io.to(peerId).emit('sfu:consumerClosed', info));
  sfu.on('roomReset', (roomId, peerIds, reason) => {
    ctx.logger.warn({ roomId, peers: peerIds.length, reason }, 'SFU room reset; peers must rejoin');
    for (const id of peerIds) {
      ctx.io.to(id).emit('sfu:reset', { reason });
      leaveRoom(ctx, id);
    }
  });
}
