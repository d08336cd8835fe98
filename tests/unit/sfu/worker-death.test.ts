// A mediasoup worker killed from outside: its rooms are reset (and their peers told), a
// replacement worker starts, and the SFU keeps serving.
import { afterEach, expect, it } from 'vitest';
import type { MediasoupSfu } from '../../../server/sfu/index';
import type { SfuEvents } from '../../../signaling/sfu-service';
import { nextEvent, startSfu, waitUntil } from './helpers';

let sfu: MediasoupSfu;
afterEach(async () => {
  await sfu?.close();
});

it('replaces a killed worker and emits roomReset for the rooms it hosted', async () => {
  sfu = await startSfu({ numWorkers: 1 });
  await sfu.addPeer('doomed', 'alice');
  await sfu.addPeer('doomed', 'bob');
  await sfu.createTransport('alice', 'send');
  const worker = sfu.workerOf('doomed');
  expect(worker).not.toBeNull();

  const reset = nextEvent<SfuEvents['roomReset']>(sfu, 'roomReset');
  process.kill(worker!.pid, 'SIGKILL');
  const [roomId, peerIds, reason] = await reset;
  expect(roomId).toBe('doomed');
  expect(peerIds.sort()).toEqual(['alice', 'bob']);
  expect(reason).toMatch(/died/);
  expect(sfu.counts()).toMatchObject({ rooms: 0, peers: 0 });

  await waitUntil(() => sfu.counts().workers === 1, 10_000);
  expect(sfu.unavailableReason()).toBeNull();
  const replacement = await sfu.addPeer('doomed', 'alice');
  expect(replacement.routerRtpCapabilities).toBeDefined();
  expect(sfu.workerOf('doomed')?.pid).not.toBe(worker!.pid);
});
