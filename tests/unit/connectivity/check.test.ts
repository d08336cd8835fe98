// The connectivity check's sequence (fetch servers, gather, relay test, direct test) and its two
// failure paths, plus loopback's selected-pair reading of a stats report.
// Mocked, because RTCPeerConnection and the app's HTTP route do not exist here: gatherCandidates and
// runLoopback are vi.fn()s (their own logic is tested elsewhere or needs a browser), fetch is stubbed,
// and selectedPair reads a hand-made stats report. The sequencing and body checks are check.ts's own.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatherResult } from '../../../app/lib/connectivity/candidates';
import type { LoopbackResult } from '../../../app/lib/connectivity/loopback';

vi.mock('../../../app/lib/connectivity/candidates', () => ({ gatherCandidates: vi.fn() }));
vi.mock('../../../app/lib/connectivity/loopback', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../app/lib/connectivity/loopback')>()),
  runLoopback: vi.fn(),
}));

const { gatherCandidates } = await import('../../../app/lib/connectivity/candidates');
const { runLoopback, selectedPair } = await import('../../../app/lib/connectivity/loopback');
const { fetchIceServers, runConnectivityCheck } = await import('../../../app/lib/connectivity/check');

const GATHER: GatherResult = { candidates: [], complete: true, elapsedMs: 10, errors: [] };
const loopResult = (policy: LoopbackResult['policy']): LoopbackResult => ({
  policy, ok: true, medianRttMs: 1, rttsMs: [1], sent: 1, received: 1, localCandidateType: 'host', remoteCandidateType: 'host',
  protocol: 'udp', pairRttMs: 1, connectMs: 5, error: null,
});

let fetchMock: ReturnType<typeof vi.fn>;
const reply = (status: number, body: unknown) => fetchMock.mockResolvedValue({ ok: status < 400, status, json: async () => body });

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  vi.mocked(gatherCandidates).mockResolvedValue(GATHER);
  vi.mocked(runLoopback).mockImplementation(async (_servers, policy) => loopResult(policy));
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.clearAllMocks();
});

describe('fetchIceServers', () => {
  it('asks /api/ice-servers without cache and reads the reply', async () => {
    reply(200, { iceServers: [{ urls: 'stun:s' }], iceTtlSeconds: '600', turn: { available: false, reason: 'off' }, extra: 1 });
    await expect(fetchIceServers()).resolves.toEqual({ iceServers: [{ urls: 'stun:s' }], iceTtlSeconds: 600, turn: { available: false, reason: 'off' } });
    expect(fetchMock).toHaveBeenCalledWith('/api/ice-servers', expect.objectContaining({ cache: 'no-store' }));
  });

  it('defaults a missing TTL to 0', async () => {
    reply(200, { iceServers: [], turn: { available: true, reason: null } });
    await expect(fetchIceServers()).resolves.toMatchObject({ iceTtlSeconds: 0 });
  });

  it.each([
    ['an HTTP error', 503, {}, 'GET /api/ice-servers answered HTTP 503'],
    ['no iceServers array', 200, { iceServers: 'stun:s', turn: {} }, 'GET /api/ice-servers returned an unexpected body'],
    ['no turn block', 200, { iceServers: [] }, 'GET /api/ice-servers returned an unexpected body'],
  ])('refuses %s', async (_, status, body, message) => {
    reply(status, body);
    await expect(fetchIceServers()).rejects.toThrow(message);
  });
});

describe('runConnectivityCheck', () => {
  const servers = (urls: RTCIceServer['urls'][]) => ({ iceServers: urls.map((u) => ({ urls: u })), iceTtlSeconds: 60, turn: { available: true, reason: null } });

  it('publishes each step before the next one starts and ends done', async () => {
    reply(200, servers(['stun:s', 'turn:t?transport=udp']));
    const steps: string[] = [];
    const final = await runConnectivityCheck((s) => steps.push(s.step), 4);
    expect(steps).toEqual(['fetching', 'gathering', 'relay-test', 'direct-test', 'done']);
    expect(vi.mocked(runLoopback).mock.calls.map((c) => [c[1], c[2]])).toEqual([['relay', { messages: 4 }], ['all', { messages: 4 }]]);
    expect(final).toMatchObject({ step: 'done', gather: GATHER, relay: { policy: 'relay', ok: true }, direct: { policy: 'all' }, error: null });
  });

  it.each([
    ['a turn: URL in a list', [['stun:s', 'turn:t']]],
    ['a turns: URL', ['turns:t:443?transport=tcp']],
  ])('runs the relay test when the servers include %s', async (_, urls) => {
    reply(200, servers(urls));
    await runConnectivityCheck(() => undefined);
    expect(vi.mocked(runLoopback).mock.calls.map((c) => c[1])).toEqual(['relay', 'all']);
  });

  it('skips the relay test, saying why, when the server issued no TURN server', async () => {
    reply(200, servers(['stun:s', 'stun:turn.example.org']));
    const final = await runConnectivityCheck(() => undefined);
    expect(vi.mocked(runLoopback).mock.calls.map((c) => c[1])).toEqual(['all']);
    expect(final.relay).toMatchObject({ policy: 'relay', ok: false, sent: 0, medianRttMs: null, error: 'Not run: the server issued no TURN server' });
    expect(final.step).toBe('done');
  });

  it('stops at the failing step, keeping what was measured before', async () => {
    reply(200, servers(['turn:t']));
    vi.mocked(runLoopback).mockRejectedValueOnce('boom');
    const steps: string[] = [];
    const final = await runConnectivityCheck((s) => steps.push(s.step));
    expect(steps).toEqual(['fetching', 'gathering', 'relay-test', 'failed']);
    expect(final).toMatchObject({ step: 'failed', error: 'boom', gather: GATHER, relay: null, direct: null });
  });

  it('fails with the server\'s error when the ICE servers cannot be fetched', async () => {
    reply(500, {});
    const final = await runConnectivityCheck(() => undefined);
    expect(final).toMatchObject({ step: 'failed', error: 'GET /api/ice-servers answered HTTP 500', servers: null });
    expect(gatherCandidates).not.toHaveBeenCalled();
  });
});

describe('selectedPair (loopback)', () => {
  const pcWith = (stats: Record<string, unknown>[]) =>
    ({ getStats: async () => new Map(stats.map((s) => [s.id as string, s])) }) as unknown as RTCPeerConnection;
  const local = { id: 'L', type: 'local-candidate', candidateType: 'relay', protocol: 'udp' };
  const remote = { id: 'R', type: 'remote-candidate', candidateType: 'srflx' };

  it('follows the transport\'s selectedCandidatePairId (the spec way), RTT in ms', async () => {
    const stats = [
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P2' },
      { id: 'P1', type: 'candidate-pair', nominated: true, state: 'succeeded', localCandidateId: 'X', remoteCandidateId: 'X' },
      { id: 'P2', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: 0.0123 },
      local, remote,
    ];
    const pair = await selectedPair(pcWith(stats));
    expect(pair).toMatchObject({ localCandidateType: 'relay', remoteCandidateType: 'srflx', protocol: 'udp' });
    expect(pair!.pairRttMs).toBeCloseTo(12.3, 6);
  });

  it('falls back to a nominated, succeeded pair; a missing RTT or candidate reads as null', async () => {
    const stats = [
      { id: 'P0', type: 'candidate-pair', nominated: true, state: 'in-progress', localCandidateId: 'X', remoteCandidateId: 'X' },
      { id: 'P1', type: 'candidate-pair', nominated: true, state: 'succeeded', localCandidateId: 'L', remoteCandidateId: 'gone' },
      local,
    ];
    await expect(selectedPair(pcWith(stats))).resolves.toEqual({ localCandidateType: 'relay', remoteCandidateType: null, protocol: 'udp', pairRttMs: null });
  });

  it('returns null without a selected or nominated pair', async () => {
    await expect(selectedPair(pcWith([{ id: 'P', type: 'candidate-pair', nominated: false, state: 'succeeded' }]))).resolves.toBeNull();
  });
});
