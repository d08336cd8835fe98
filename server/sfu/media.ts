// Audio/video on the SFU: a peer's producer on its send transport, and a consumer (created paused)
// of another peer's producer on its recv transport. Split from MediasoupSfu, like data-channels.ts;
// the caller keeps the bookkeeping and the events.
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';
import { defaultSource, type MediaSource, type SfuProduceRequest } from '../../signaling/protocol';
import { LIMITS } from './config';
import { checkCodecKind, mediaError } from './media-error';
import type { Peer } from './peer';
import type { Room } from './room';

export async function produceMedia(peer: Peer, request: SfuProduceRequest): Promise<types.Producer> {
  const { transport, direction } = peer.transport(request.transportId);
  if (direction !== 'send') {
    throw new ServerError('BAD_REQUEST', `transport ${request.transportId} is a recv transport; produce on a send transport`);
  }
  if (peer.producers.size >= LIMITS.producersPerPeer) {
    throw new ServerError('BAD_REQUEST', `peer ${peer.id} already has ${peer.producers.size} producers`);
  }
  checkCodecKind(request.kind, request.rtpParameters);
  try {
    return await transport.produce({
      kind: request.kind,
      rtpParameters: request.rtpParameters as unknown as types.RtpParameters,
      paused: request.paused ?? false,
      appData: { source: request.source ?? defaultSource(request.kind) },
    });
  } catch (err) {
    throw mediaError('rtpParameters', err);
  }
}

export async function consumeMedia(
  peer: Peer,
  room: Room,
  producerId: string,
  rtpCapabilities: unknown,
): Promise<{ consumer: types.Consumer; ownerId: string; source: MediaSource }> {
  const { producer, peerId: ownerId } = room.producer(producerId);
  if (ownerId === peer.id) throw new ServerError('BAD_REQUEST', `peer ${peer.id} cannot consume its own producer`);
  const transport = peer.recvTransport();
  const caps = rtpCapabilities as types.RtpCapabilities;
  let consumable = false;
  try {
    consumable = room.router.canConsume({ producerId, rtpCapabilities: caps });
  } catch {
    consumable = false;
  }
  if (!consumable) {
    throw new ServerError('BAD_REQUEST', `cannot consume producer ${producerId} with the given rtpCapabilities`);
  }
  try {
    // Paused until the client has set up its side, so no early keyframe is lost.
    return { consumer: await transport.consume({ producerId, rtpCapabilities: caps, paused: true }), ownerId, source: sourceOf(producer) };
  } catch (err) {
    throw mediaError('rtpCapabilities', err);
  }
}

/** What a producer carries, as its peer said when producing it (see produceMedia). */
export function sourceOf(producer: types.Producer): MediaSource {
  const source = producer.appData.source;
  return source === 'mic' || source === 'camera' || source === 'screen' ? source : defaultSource(producer.kind);
}
