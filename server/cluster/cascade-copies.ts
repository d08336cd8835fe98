// The receiving node's copies of remote producers and data producers: made on the room's inbound pipe
// transport with the origin's id, registered in the link and the room, and forgotten when they close.
import type { types } from 'mediasoup';
import type { Room } from '../sfu/room';
import type { PipeAnswer, PipeDataAnswer } from './cascade-protocol';
import type { PipeLink } from './pipe-link';

export async function installProducer(room: Room, link: PipeLink, answer: PipeAnswer, producerId: string, originNodeId: string): Promise<void> {
  const producer = await link.transport.produce({
    id: producerId,
    kind: answer.kind,
    rtpParameters: answer.rtpParameters as unknown as types.RtpParameters,
    paused: answer.paused,
    appData: { source: answer.source, peerId: answer.peerId, originNodeId },
  });
  link.producers.set(producerId, producer);
  link.seqs.set(producerId, answer.seq);
  producer.observer.once('close', () => {
    if (link.producers.get(producerId) !== producer) return;
    link.producers.delete(producerId);
    link.seqs.delete(producerId);
  });
  room.addPipeProducer(producer, answer.peerId);
}

/** The copy sends on the origin's SCTP stream id of the pair, which is how the two ends match messages to it. */
export async function installDataProducer(room: Room, link: PipeLink, answer: PipeDataAnswer, dataProducerId: string, originNodeId: string): Promise<void> {
  const dataProducer = await link.transport.produceData({
    id: dataProducerId,
    sctpStreamParameters: answer.sctpStreamParameters,
    label: answer.label,
    protocol: answer.protocol,
    appData: { peerId: answer.peerId, originNodeId },
  });
  link.dataProducers.set(dataProducerId, dataProducer);
  link.seqs.set(dataProducerId, answer.seq);
  dataProducer.observer.once('close', () => {
    if (link.dataProducers.get(dataProducerId) !== dataProducer) return;
    link.dataProducers.delete(dataProducerId);
    link.seqs.delete(dataProducerId);
  });
  room.addPipeDataProducer(dataProducer, answer.peerId);
}
