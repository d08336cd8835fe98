// Configuration: defaults that run on one machine, and clear errors naming the bad variable.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/config';

describe('parseConfig', () => {
  it('has working defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, rooms: { meshMaxPeers: 6 }, sfu: { enabled: true } });
    expect(c.ice.turnUrls).toEqual([]);
    expect(c.ice.ttlSeconds).toBeLessThanOrEqual(3600);
  });
  it('reads lists, numbers and booleans', () => {
    const c = parseConfig({ TURN_URLS: 'turn:a:3478, turns:b:5349', MESH_MAX_PEERS: '4', SFU_ENABLED: '0' });
    expect(c.ice.turnUrls).toEqual(['turn:a:3478', 'turns:b:5349']);
    expect(c.rooms.meshMaxPeers).toBe(4);
    expect(c.sfu.enabled).toBe(false);
  });
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ MESH_MAX_PEERS: '1' }, 'MESH_MAX_PEERS'],
    [{ SFU_ENABLED: 'maybe' }, 'SFU_ENABLED'],
    [{ TURN_CREDENTIAL_TTL_SEC: '86400' }, 'TURN_CREDENTIAL_TTL_SEC'],
    [{ SFU_RTC_MIN_PORT: '50000', SFU_RTC_MAX_PORT: '40000' }, 'SFU_RTC_MIN_PORT'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(name);
  });
});
