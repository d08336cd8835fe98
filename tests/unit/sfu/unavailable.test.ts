// Without a usable worker binary the SFU reports why, refuses rooms with SFU_UNAVAILABLE, and
// nothing crashes. Own file: mediasoup fixes its worker path when first imported.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSfu } from '../../../server/sfu/index';
import { mediasoupVersion, resolveWorkerBin } from '../../../server/sfu/worker-bin';
import { expectServerError, quietLogger } from './helpers';

const saved = { bin: process.env.MEDIASOUP_WORKER_BIN, cache: process.env.MEDIASOUP_WORKER_CACHE };
afterAll(() => {
  for (const [key, value] of [['MEDIASOUP_WORKER_BIN', saved.bin], ['MEDIASOUP_WORKER_CACHE', saved.cache]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

it('resolves the worker path from the cache dir and the installed mediasoup version', () => {
  expect(mediasoupVersion()).toBe('3.12.16');
  const bin = resolveWorkerBin({ MEDIASOUP_WORKER_CACHE: '/tmp/msw-cache' });
  expect(bin).toEqual({ path: '/tmp/msw-cache/mediasoup-worker-3.12.16', exists: false, version: '3.12.16' });
  expect(process.env.MEDIASOUP_WORKER_BIN).toBe(bin.path);
  expect(resolveWorkerBin({ MEDIASOUP_WORKER_BIN: '/opt/w' }).path).toBe('/opt/w');
});

it('explains a missing worker binary and refuses rooms', async () => {
  process.env.MEDIASOUP_WORKER_BIN = '/nonexistent/mediasoup-worker';
  const sfu = await createSfu({ numWorkers: 1 }, quietLogger);
  expect(sfu.unavailableReason()).toBe(
    'mediasoup worker binary not found at /nonexistent/mediasoup-worker; run scripts/build-mediasoup-worker.sh',
  );
  await expectServerError(sfu.addPeer('room', 'alice'), 'SFU_UNAVAILABLE', /not found/);
  await expectServerError(sfu.createTransport('alice', 'send'), 'NOT_IN_ROOM');
  expect(await sfu.roomRates('room')).toEqual([]);
  expect(await sfu.traffic()).toEqual({ bytesIn: 0, bytesOut: 0 });
  expect(sfu.counts()).toEqual({ rooms: 0, peers: 0, producers: 0, consumers: 0, workers: 0 });
  sfu.closePeer('alice');
  await sfu.close();
});

it('explains a worker binary that does not start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'msw-'));
  const fake = join(dir, 'mediasoup-worker');
  writeFileSync(fake, '#!/bin/sh\nexit 3\n');
  chmodSync(fake, 0o755);
  process.env.MEDIASOUP_WORKER_BIN = fake;
  const sfu = await createSfu({ numWorkers: 1 }, quietLogger);
  expect(sfu.unavailableReason()).toMatch(new RegExp(`^mediasoup worker at ${fake} failed to start`));
  await expectServerError(sfu.addPeer('room', 'alice'), 'SFU_UNAVAILABLE');
  await sfu.close();
  rmSync(dir, { recursive: true, force: true });
});
