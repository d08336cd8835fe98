// Removal in an SFU room, with a real mediasoup worker: the removed participant's transports,
// producers and everyone's consumers of them are closed on the server, and the others are told.
import { expect, it } from 'vitest';
import type { JoinReply, TransportOptions } from '../../../signaling/protocol';
import { videoRtpParameters } from '../sfu/helpers';
import { nextEvent, request } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const rig = useSfuHarness();

async function joinSfu(name: string) {
  const socket = await rig.h.client();
  const result = await request<JoinReply>(socket, 'join', { roomId: 'host-sfu', name, mode: 'sfu' });
  if (!result.ok) throw new Error(`join failed: ${result.error.code}`);
  return { socket, reply: result.data };
}

async function ok<T>(result: Promise<{ ok: boolean; data?: unknown }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`request failed: ${JSON.stringify(r)}`);
  return r.data as T;
}

it('closes the removed participant’s media on the SFU and tells whoever consumed it', async () => {
  const host = await joinSfu('Host');
  const guest = await joinSfu('Guest');
  const send = await ok<TransportOptions>(request(guest.socket, 'sfu:createTransport', { direction: 'send' }));
  const announced = nextEvent<{ producerId: string }>(host.socket, 'sfu:newProducer');
  const { producerId } = await ok<{ producerId: string }>(
    request(guest.socket, 'sfu:produce', { transportId: send.id, kind: 'video', rtpParameters: videoRtpParameters() }),
  );
  await announced;
  await ok(request(host.socket, 'sfu:createTransport', { direction: 'recv' }));
  await ok(request(host.socket, 'sfu:consume', { producerId, rtpCapabilities: host.reply.routerRtpCapabilities }));
  expect(rig.sfu.counts()).toMatchObject({ peers: 2, producers: 1, consumers: 1 });

  const consumerClosed = nextEvent<{ producerId: string }>(host.socket, 'sfu:consumerClosed');
  const removed = nextEvent(guest.socket, 'room:removed');
  expect(await request(host.socket, 'host:remove', { peerId: guest.reply.selfId })).toEqual({ ok: true, data: null });
  // At once, not after a reconnect grace period: removal is not a dropped connection. The others'
  // consumers of its producers follow when the worker reports the producer closed.
  expect(rig.sfu.counts()).toMatchObject({ peers: 1, producers: 0 });
  await removed;
  expect((await consumerClosed).producerId).toBe(producerId);
  expect(rig.sfu.counts()).toMatchObject({ peers: 1, producers: 0, consumers: 0 });
});
