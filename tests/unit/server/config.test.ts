// Configuration: defaults that run on one machine, and clear errors naming the bad variable.
import { describe, expect, it } from 'vitest';
import { parseConfig, withLocalSfuAddresses } from '../../../server/config';

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
  it('gives the SFU workers nice -15 unless told another value or off', () => {
    expect(parseConfig({}).sfu.workerNice).toBe(-15);
    expect(parseConfig({ SFU_WORKER_NICE: '-5' }).sfu.workerNice).toBe(-5);
    expect(parseConfig({ SFU_WORKER_NICE: 'off' }).sfu.workerNice).toBeNull();
  });
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ MESH_MAX_PEERS: '1' }, 'MESH_MAX_PEERS'],
    [{ SFU_ENABLED: 'maybe' }, 'SFU_ENABLED'],
    [{ SFU_WORKER_NICE: '30' }, 'SFU_WORKER_NICE'],
    [{ TURN_CREDENTIAL_TTL_SEC: '86400' }, 'TURN_CREDENTIAL_TTL_SEC'],
    [{ SFU_RTC_MIN_PORT: '50000', SFU_RTC_MAX_PORT: '40000' }, 'SFU_RTC_MIN_PORT'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(name);
  });
});

describe('withLocalSfuAddresses', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '192.0.2.2', family: 'IPv4', internal: false },
      { address: '192.0.2.3', family: 'IPv4', internal: false },
    ],
    wlan0: [{ address: '198.51.100.7', family: 4, internal: false }],
    down0: undefined,
  };

  it("adds one IPv4 address per non-loopback interface on one machine (Firefox pairs no loopback candidate)", () => {
    const config = withLocalSfuAddresses(parseConfig({}), interfaces);
    expect(config.sfu).toMatchObject({ listenIp: '127.0.0.1', alsoListenIps: ['192.0.2.2', '198.51.100.7'] });
  });

  it('adds nothing when told where to listen, on the LAN, or with SFU_LOOPBACK_ONLY=1', () => {
    for (const env of [{ SFU_LISTEN_IP: '127.0.0.1' }, { PUBLIC_HOST: '192.0.2.2' }, { SFU_LOOPBACK_ONLY: '1' }]) {
      expect(withLocalSfuAddresses(parseConfig(env), interfaces).sfu.alsoListenIps, JSON.stringify(env)).toEqual([]);
    }
  });
});
