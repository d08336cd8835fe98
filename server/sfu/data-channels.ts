// SCTP data producers and consumers on the SFU: each peer's ping channel, consumed by everyone
// else in its room. Split from MediasoupSfu to keep it one concept per file.
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';
import type { DataConsumerOptions, SfuProduceDataRequest } from '../../signaling/protocol';
import { LIMITS } from './config';
import { mediaError } from './media-error';
import type { Peer } from './peer';
import type { Room } from './room';

export async function produceData(peer: Peer, request: SfuProduceDataRequest): Promise<types.DataProducer> {
  const { transport, direction } = peer.transport(request.transportId);
  if (direction !== 'send') {
    throw new ServerError('BAD_REQUEST', `transport ${request.transportId} is a recv transport; produce data on a send transport`);
  }
  if (peer.dataProducers.size >= LIMITS.producersPerPeer) {
    throw new ServerError('BAD_REQUEST', `peer ${peer.id} already has ${peer.dataProducers.size} data producers`);
  }
  let dataProducer: types.DataProducer;
  try {
    dataProducer = await transport.produceData({
      sctpStreamParameters: request.sctpStreamParameters as types.SctpStreamParameters,
      label: request.label ?? '',
      protocol: request.protocol ?? '',
    });
  } catch (err) {
    throw mediaError('sctpStreamParameters', err);
  }
  peer.dataProducers.set(dataProducer.id, dataProducer);
  dataProducer.on('transportclose', () => peer.dataProducers.delete(dataProducer.id));
  return dataProducer;
}

export async function consumeData(peer: Peer, room: Room, dataProducerId: string): Promise<DataConsumerOptions> {
  const { peerId: ownerId } = room.dataProducer(dataProducerId);
  if (ownerId === peer.id) throw new ServerError('BAD_REQUEST', `peer ${peer.id} cannot consume its own data producer`);
  const transport = peer.recvTransport();
  let dataConsumer: types.DataConsumer;
  try {
    dataConsumer = await transport.consumeData({ dataProducerId });
  } catch (err) {
    throw mediaError('dataProducerId', err);
  }
  peer.dataConsumers.set(dataConsumer.id, dataConsumer);
  // The client learns about a vanished peer from the roster; only the bookkeeping is needed here.
  const forget = () => peer.dataConsumers.delete(dataConsumer.id);
  dataConsumer.on('transportclose', forget);
  dataConsumer.on('dataproducerclose', forget);
  if (!dataConsumer.sctpStreamParameters) {
    dataConsumer.close();
    throw new ServerError('INTERNAL', `data consumer for ${dataProducerId} has no SCTP stream (is SCTP enabled?)`);
  }
  return {
    id: dataConsumer.id,
    dataProducerId,
    peerId: ownerId,
    sctpStreamParameters: dataConsumer.sctpStreamParameters,
    label: dataConsumer.label,
    protocol: dataConsumer.protocol,
  };
}
