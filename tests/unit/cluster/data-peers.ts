// A browser's SCTP end for the cascade data tests: the peer's transport is a PlainTransport with SCTP on the room's
// router, linked to one on a router of our own where DirectTransports stand for the page (send and read messages).
import type { types } from 'mediasoup';
import type { DataConsumerOptions } from '../../../signaling/protocol';
import type { TestNode } from './two-nodes';

export interface SctpPeer {
  /** The peer's transport as the SFU holds it (registered like a browser's WebRTC transport). */
  sfuTransport: types.PlainTransport;
  /** The "browser" end of the SCTP association. */
  client: types.PlainTransport;
  router: types.Router;
}

/** A router on the room's worker for the "browser" ends; the worker's close takes it along. */
export async function clientRouter(node: TestNode, roomId: string): Promise<types.Router> {
  const worker = node.local.workerOf(roomId);
  if (!worker) throw new Error(`room ${roomId} has no worker on ${node.id}`);
  return worker.createRouter({ mediaCodecs: [] });
}

export async function sctpPeer(node: TestNode, router: types.Router, roomId: string, peerId: string, direction: 'send' | 'recv'): Promise<SctpPeer> {
  const peer = node.room(roomId).peers.get(peerId);
  if (!peer) throw new Error(`peer ${peerId} is not in ${roomId} on ${node.id}`);
  const options = { listenIp: '127.0.0.1', rtcpMux: true, comedia: false, enableSctp: true };
  const sfuTransport = await node.room(roomId).router.createPlainTransport(options);
  const client = await router.createPlainTransport(options);
  await sfuTransport.connect({ ip: '127.0.0.1', port: client.tuple.localPort });
  await client.connect({ ip: '127.0.0.1', port: sfuTransport.tuple.localPort });
  peer.transports.set(sfuTransport.id, { transport: sfuTransport as unknown as types.WebRtcTransport, direction });
  return { sfuTransport, client, router };
}

/**
 * What the browser's ping channel does (sfu-ping.ts): an unordered, no-retransmit SCTP stream produced on the
 * peer's send transport through the SFU's own produceData. `send` writes a message into it.
 */
export async function produceData(node: TestNode, peerId: string, end: SctpPeer): Promise<{ dataProducerId: string; send(text: string): void }> {
  const page = await end.router.createDirectTransport();
  const source = await page.produceData({ label: 'ping' });
  const stream = await end.client.consumeData({ dataProducerId: source.id, ordered: false, maxRetransmits: 0 });
  if (!stream.sctpStreamParameters) throw new Error('the client end has no SCTP stream');
  const { dataProducerId } = await node.sfu.produceData(peerId, { transportId: end.sfuTransport.id, sctpStreamParameters: { ...stream.sctpStreamParameters }, label: 'ping' });
  return { dataProducerId, send: (text) => source.send(text) };
}

/** What the browser does with a consumeData answer: opens that stream on its end and reads its messages. */
export async function receiveData(end: SctpPeer, options: DataConsumerOptions): Promise<string[]> {
  const inbound = await end.client.produceData({
    sctpStreamParameters: options.sctpStreamParameters as types.SctpStreamParameters,
    label: options.label,
    protocol: options.protocol,
  });
  const page = await end.router.createDirectTransport();
  const sink = await page.consumeData({ dataProducerId: inbound.id });
  const messages: string[] = [];
  sink.on('message', (message) => messages.push(message.toString('utf8')));
  return messages;
}
