// The failure drill on a real server (port 0) with real Socket.IO clients: refused without the
// operator token or with a wrong one, and when authorized a signaling outage drops every socket
// and refuses new ones for the time asked, then lets them back.
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallServer } from '../../../server/call-server';
import { parseConfig } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { startHarness, type Harness } from '../helpers/signaling-harness';

const TOKEN = 'operator-token-for-tests';
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ SFU_ENABLED: '0', OPERATOR_TOKEN: TOKEN });
});
afterEach(async () => h.close());

const drill = (path: string, init: RequestInit = {}) =>
  fetch(`${h.url}${path}`, { method: 'POST', ...init }).then(async (r) => ({ status: r.status, body: await r.json() }));
const auth = (token = TOKEN) => ({ headers: { authorization: `Bearer ${token}` } });

function tryConnect(): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect(h.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

describe('failure drill', () => {
  it('refuses a missing or wrong operator token, other methods and unknown drills', async () => {
    expect(await drill('/drill/signaling-outage')).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(await drill('/drill/signaling-outage', auth('operator-token-for-tesTs'))).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await drill('/drill/signaling-outage', { method: 'GET', ...auth() })).toMatchObject({ status: 405 });
    expect(await drill('/drill/nothing', auth())).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await drill('/drill/signaling-outage?seconds=0', auth())).toMatchObject({ status: 400 });
    expect(await drill('/drill/kill-worker', auth())).toMatchObject({ status: 409, body: { error: { code: 'SFU_UNAVAILABLE' } } });
    expect(await tryConnect()).toBe('connected'); // none of the refusals caused an outage
  });

  it('drops every socket and refuses new ones for the outage, then lets them back', async () => {
    const client = await h.client();
    const dropped = new Promise<string>((resolve) => client.once('disconnect', resolve));
    expect(await drill('/drill/signaling-outage?seconds=1', auth())).toMatchObject({ status: 200, body: { ok: true } });
    expect(await dropped).toBe('io server disconnect');
    expect(await tryConnect()).toMatch(/failure drill/);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await tryConnect()).toBe('connected');
  });

  it('restart-server: refused where the process cannot restart itself, bounded, and hands the pause to main.ts', async () => {
    expect(await drill('/drill/restart-server', auth())).toMatchObject({ status: 409, body: { error: { code: 'NOT_AVAILABLE' } } });
    expect(await drill('/drill/restart-server')).toMatchObject({ status: 401 });

    expect(await drill('/drill/restart-turn', auth())).toMatchObject({ status: 409, body: { error: { code: 'NOT_AVAILABLE' } } });

    const restarts: (number | 'turn')[] = [];
    const config = parseConfig({ NODE_ENV: 'test', SFU_ENABLED: '0', OPERATOR_TOKEN: TOKEN });
    const own = createCallServer(config, createLogger('silent'), null, {
      restart: (seconds) => restarts.push(seconds),
      restartTurn: () => restarts.push('turn'),
    });
    const port = await own.listen(0, '127.0.0.1');
    try {
      const post = (path: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', ...auth() }).then(async (r) => ({ status: r.status, body: await r.json() }));
      expect(await post('/drill/restart-server?seconds=61')).toMatchObject({ status: 400 });
      expect(await post('/drill/restart-server?seconds=2')).toMatchObject({ status: 202, body: { action: 'restart-server', backAfterSeconds: 2 } });
      expect(await post('/drill/restart-server')).toMatchObject({ status: 202, body: { backAfterSeconds: 5 } });
      expect(await post('/drill/restart-turn')).toMatchObject({ status: 202, body: { action: 'restart-turn' } });
      await new Promise((r) => setImmediate(r));
      expect(restarts).toEqual([2, 5, 'turn']);
    } finally {
      await own.close();
    }
  });
});
