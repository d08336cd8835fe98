// Cross-site WebSocket hijacking: a page from another origin must not open a signaling connection
// (browsers do not apply CORS to WebSockets), while the server's own pages, listed public origins
// and clients that send no Origin (not browsers: the QA kit, tests) connect. Real server, real
// Socket.IO client sending the Origin header a browser would.
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/signaling-harness';

let h: Harness;
afterEach(async () => h?.close());

function tryConnect(origin?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(h.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: origin ? { origin } : {} });
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', () => resolve('refused'));
  });
}

describe('signaling origin check', () => {
  it("accepts the server's own pages and Origin-less clients, refuses a foreign page", async () => {
    h = await startHarness({ SFU_ENABLED: '0' });
    const own = new URL(h.url).origin; // the Host header is 127.0.0.1:<port>
    expect(await tryConnect(own)).toBe('connected');
    expect(await tryConnect()).toBe('connected');
    expect(await tryConnect('https://evil.example')).toBe('refused');
    expect(await tryConnect(own.replace('127.0.0.1', 'localhost'))).toBe('refused'); // another host is another origin
    expect(await tryConnect('null')).toBe('refused'); // sandboxed iframes, file:// pages
  });

  it('accepts the origins listed in PUBLIC_ORIGINS (a trailing slash is forgiven), and only those', async () => {
    h = await startHarness({ SFU_ENABLED: '0', PUBLIC_ORIGINS: 'https://calls.example.org/, https://app.example.org' });
    expect(await tryConnect('https://calls.example.org')).toBe('connected');
    expect(await tryConnect('https://app.example.org')).toBe('connected');
    expect(await tryConnect('https://example.org')).toBe('refused');
  });
});
