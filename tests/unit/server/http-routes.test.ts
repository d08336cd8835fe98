// The server's own HTTP routes on a real HTTP server (port 0): bodies match the protocol's HTTP
// shapes, /readyz waits for pages, wrong methods get 405 with a JSON error, unknown /api/ paths 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallServer, type CallServer } from '../../../server/call-server';
import { parseConfig } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { HTTP_PATHS, lobbyResponseSchema, type IceServersResponse, type ReadyzResponse } from '../../../signaling/http';
import { useSfuHarness } from '../helpers/sfu-harness';

let server: CallServer;
let url: string;

beforeAll(async () => {
  const config = parseConfig({
    NODE_ENV: 'test',
    MESH_MAX_PEERS: '3',
    SFU_ENABLED: '0',
    TURN_URLS: 'turn:127.0.0.1:3478?transport=udp',
    TURN_SECRET: 'route-test-secret',
    TURN_CREDENTIAL_TTL_SEC: '600',
  });
  server = createCallServer(config, createLogger('silent'), null, { turnProblem: 'coturn is not installed' });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterAll(async () => server?.close());

const get = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);

describe('GET routes', () => {
  it('/api/place says "stay here" on a single server, and refuses a malformed room name', async () => {
    const res = await get(`${HTTP_PATHS.place}?room=class-1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ node: null, url: null, reason: 'one server holds every room' });
    const bad = await get(`${HTTP_PATHS.place}?room=${encodeURIComponent('no spaces')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('/healthz answers { ok: true }', async () => {
    const res = await get(HTTP_PATHS.healthz);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('/api/lobby gives the modes on offer and TURN availability, in the shape the lobby parses', async () => {
    const res = await get(`${HTTP_PATHS.lobby}?t=1`);
    expect(res.status).toBe(200);
    const body = lobbyResponseSchema.parse(await res.json());
    expect(body).toEqual({
      modes: {
        mesh: { available: true, reason: null, maxPeers: 3 },
        sfu: { available: false, reason: 'SFU mode is disabled on this server (SFU_ENABLED=0)', maxPeers: 16 },
      },
      turn: { available: false, reason: 'coturn is not installed' },
    });
  });

  it('/api/ice-servers mints a short-lived TURN credential and never ships the secret', async () => {
    const res = await get(HTTP_PATHS.iceServers);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain('route-test-secret');
    const body = JSON.parse(text) as IceServersResponse;
    expect(body.iceTtlSeconds).toBe(600);
    expect(body.iceServers).toEqual([
      { urls: ['turn:127.0.0.1:3478?transport=udp'], username: expect.stringMatching(/^\d+:check-[0-9a-f]{8}$/), credential: expect.any(String) },
    ]);
    expect(body.turn).toEqual({ available: false, reason: 'coturn is not installed' });
  });

  it('/readyz is 503 until pages are served, then 200, with the same body shape', async () => {
    const before = await get(HTTP_PATHS.readyz);
    expect(before.status).toBe(503);
    const body = (await before.json()) as ReadyzResponse;
    expect(body).toMatchObject({ ready: false, modes: { mesh: { available: true } }, turn: { available: false, urls: ['turn:127.0.0.1:3478?transport=udp'] } });

    server.setPageHandler((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>page</p>'));
    const after = await get(HTTP_PATHS.readyz);
    expect(after.status).toBe(200);
    expect(((await after.json()) as ReadyzResponse).ready).toBe(true);
    expect(await (await get('/room/abc')).text()).toBe('<p>page</p>');
  });

  it('/metrics is Prometheus text with the room gauges', async () => {
    const res = await get(HTTP_PATHS.metrics);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^call_rooms\{mode="mesh"\} 0$/m);
  });

  it('HEAD answers like GET without a body', async () => {
    const res = await get(HTTP_PATHS.healthz, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('refusals', () => {
  it.each(Object.values(HTTP_PATHS).flatMap((path) => ['POST', 'PUT', 'DELETE'].map((method) => [method, path])))(
    '%s %s is 405 with a JSON error',
    async (method, path) => {
      const res = await get(path, { method, body: method === 'DELETE' ? undefined : '{}' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.json()).toEqual({
        error: { code: 'METHOD_NOT_ALLOWED', message: `${path} answers GET and HEAD, not ${method}` },
      });
    },
  );

  it('an unknown /api/ path is a JSON 404, not a page', async () => {
    const res = await get('/api/modes');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route /api/modes' } });
  });
});

describe('with a real SFU', () => {
  const rig = useSfuHarness();

  it('/api/lobby offers SFU mode and /metrics exports its transport bytes', async () => {
    const lobby = lobbyResponseSchema.parse(await (await fetch(`${rig.h.url}${HTTP_PATHS.lobby}`)).json());
    expect(lobby.modes.sfu).toEqual({ available: true, reason: null, maxPeers: 16 });
    const metrics = await (await fetch(`${rig.h.url}${HTTP_PATHS.metrics}`)).text();
    expect(metrics).toMatch(/^sfu_transport_bytes\{mode="sfu",direction="in"\} 0$/m);
    expect(metrics).toMatch(/^sfu_objects\{kind="workers"\} 1$/m);
  });
});
