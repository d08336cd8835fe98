// The one room-URL builder: the QA contract's parameters, encoding, and the protocol's room-id rule.
import { describe, expect, it } from 'vitest';
import { checkRoomId, roomUrl } from '../../../../../scripts/kit/lib/browser/room-url';

describe('roomUrl', () => {
  it('builds the autojoin QA URL with every option', () => {
    expect(roomUrl('http://127.0.0.1:3000', 'demo', { mode: 'sfu', name: 'bot1', autojoin: true, relay: true })).toBe(
      'http://127.0.0.1:3000/room/demo?mode=sfu&name=bot1&autojoin=1&relay=1',
    );
  });

  it('leaves out what is not asked for, and trims trailing slashes of the base', () => {
    expect(roomUrl('http://127.0.0.1:3000//', 'demo', { mode: 'mesh' })).toBe('http://127.0.0.1:3000/room/demo?mode=mesh');
    expect(roomUrl('http://localhost:1', 'r', { mode: 'mesh', name: 'a', relay: false })).toBe('http://localhost:1/room/r?mode=mesh&name=a');
  });

  it('gives a path for an empty base (Playwright resolves it against baseURL)', () => {
    expect(roomUrl('', 'e2e-1', { mode: 'mesh', name: 'p1', autojoin: true })).toBe('/room/e2e-1?mode=mesh&name=p1&autojoin=1');
  });

  it('encodes display names', () => {
    expect(roomUrl('', 'r', { mode: 'mesh', name: 'Ana & Bo?' })).toBe('/room/r?mode=mesh&name=Ana%20%26%20Bo%3F');
  });

  it('refuses room ids the server would refuse', () => {
    expect(() => roomUrl('', 'bad room!', { mode: 'mesh' })).toThrow(/room id "bad room!" is not valid/);
    expect(() => checkRoomId('-starts-with-dash')).toThrow(RangeError);
    expect(() => checkRoomId('r'.repeat(65))).toThrow(RangeError);
    expect(checkRoomId('r'.repeat(64))).toBe('r'.repeat(64));
    expect(checkRoomId('Class_7-b')).toBe('Class_7-b');
  });
});
