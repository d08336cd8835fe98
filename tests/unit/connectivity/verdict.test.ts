// The connectivity page's plain-words verdict, on hand-made check results: one row per branch of
// verdictOf (each line's level and exact wording) and the headline level as the worst line.
// Nothing is mocked: verdictOf is pure, and the results are the shapes check.ts publishes.
import { describe, expect, it } from 'vitest';
import type { CandidateRow, GatherResult } from '../../../app/lib/connectivity/candidates';
import { INITIAL_CHECK, type CheckState, type IceServersReply } from '../../../app/lib/connectivity/check';
import type { LoopbackResult } from '../../../app/lib/connectivity/loopback';
import { verdictOf, type VerdictLevel } from '../../../app/lib/connectivity/verdict';

const servers = (turn: IceServersReply['turn'] = { available: true, reason: null }, iceServers: RTCIceServer[] = [{ urls: 'stun:s' }, { urls: 'turn:t' }]): IceServersReply => ({
  iceServers, iceTtlSeconds: 600, turn,
});

const row = (type: string, address = '192.0.2.1'): CandidateRow => ({
  type, protocol: 'udp', address, port: 5000, priority: 1, relayProtocol: null, url: null, raw: `candidate:1 1 udp 1 ${address} 5000 typ ${type}`,
});

const gather = (types: string[], patch: Partial<GatherResult> = {}): GatherResult => ({
  candidates: types.map((t) => row(t)), complete: true, elapsedMs: 800, errors: [], ...patch,
});

const loop = (policy: LoopbackResult['policy'], ok: boolean, patch: Partial<LoopbackResult> = {}): LoopbackResult => ({
  policy, ok, medianRttMs: ok ? 5 : null, rttsMs: [], sent: 10, received: ok ? 10 : 0, localCandidateType: null,
  remoteCandidateType: null, protocol: 'udp', pairRttMs: null, connectMs: 100, error: ok ? null : 'connecting timed out after 10000 ms', ...patch,
});

/** A finished check where everything works; each row changes one thing. */
const done = (patch: Partial<CheckState> = {}): CheckState => ({
  ...INITIAL_CHECK,
  step: 'done',
  servers: servers(),
  gather: gather(['host', 'srflx', 'relay']),
  relay: loop('relay', true, { medianRttMs: 12.34 }),
  direct: loop('all', true, { medianRttMs: 1.234, localCandidateType: 'host', remoteCandidateType: 'srflx' }),
  ...patch,
});

const GUIDE = 'see turn/README.md';
const TURN_OK_1 = 'TURN works: 1 relay candidate gathered, and data went through the relay and back in 12.3 ms median.';
const DIRECT_OK = 'Direct connection works (host ↔ srflx): 1.23 ms median round trip. The relay adds 11.1 ms per round trip here.';
const NO_SRFLX = 'No server-reflexive (srflx) candidate: STUN found no public address distinct from the local ones (normal on one machine or without NAT).';
const MDNS = 'Host addresses are hidden behind mDNS names (.local): the browser does this until a page is given camera access.';
const DIRECT_FAILED = (why: string, tail: string) => `Direct connection failed (${why}). ${tail}`;

type Line = [VerdictLevel, string];

const cases: Array<[string, CheckState, VerdictLevel, Line[]]> = [
  ['everything works', done(), 'ok', [['ok', TURN_OK_1], ['ok', DIRECT_OK]]],
  ['the check could not run (other results are ignored)', done({ step: 'failed', error: 'GET /api/ice-servers answered HTTP 502' }), 'error', [
    ['error', 'The check could not run: GET /api/ice-servers answered HTTP 502.'],
  ]],
  ['still fetching', { ...INITIAL_CHECK, step: 'fetching' }, 'warn', []],
  ['servers known, still gathering', { ...INITIAL_CHECK, step: 'gathering', servers: servers() }, 'warn', []],
  ['no TURN on the server, with its reason', done({ servers: servers({ available: false, reason: 'TURN_SECRET is not set' }), relay: null }), 'error', [
    ['error', `This server offers no TURN relay: TURN_SECRET is not set. Calls only work where browsers can reach each other (or the SFU) directly — ${GUIDE}.`],
    ['ok', 'Direct connection works (host ↔ srflx): 1.23 ms median round trip.'],
  ]],
  ['no TURN on the server, no reason given', done({ servers: servers({ available: false, reason: null }), relay: null }), 'error', [
    ['error', `This server offers no TURN relay: no reason given. Calls only work where browsers can reach each other (or the SFU) directly — ${GUIDE}.`],
    ['ok', 'Direct connection works (host ↔ srflx): 1.23 ms median round trip.'],
  ]],
  ['TURN offered but no relay candidate', done({ gather: gather(['host', 'srflx']), relay: loop('relay', false) }), 'error', [
    ['error', `No relay candidate: the TURN server refused the credentials or is unreachable — ${GUIDE}.`],
    ['ok', 'Direct connection works (host ↔ srflx): 1.23 ms median round trip.'],
  ]],
  ['several relay candidates (plural)', done({ gather: gather(['host', 'srflx', 'relay', 'relay']) }), 'ok', [
    ['ok', 'TURN works: 2 relay candidates gathered, and data went through the relay and back in 12.3 ms median.'],
    ['ok', DIRECT_OK],
  ]],
  ['relay allocated but data does not cross it', done({ relay: loop('relay', false, { error: '3 of 10 messages did not come back' }) }), 'error', [
    ['error', `TURN allocated a relay, but data did not get through it (3 of 10 messages did not come back). The relay may not be allowed to reach the peer's address — ${GUIDE}.`],
    ['ok', 'Direct connection works (host ↔ srflx): 1.23 ms median round trip.'],
  ]],
  ['relay failed without a message', done({ relay: loop('relay', false, { error: null }) }), 'error', [
    ['error', `TURN allocated a relay, but data did not get through it (unknown error). The relay may not be allowed to reach the peer's address — ${GUIDE}.`],
    ['ok', 'Direct connection works (host ↔ srflx): 1.23 ms median round trip.'],
  ]],
  ['relay test not run yet: no TURN line, no direct line', done({ step: 'relay-test', relay: null, direct: null }), 'ok', []],
  ['direct path unknown (no selected pair)', done({
    direct: loop('all', true, { medianRttMs: 2, localCandidateType: null }),
  }), 'ok', [['ok', TURN_OK_1], ['ok', 'Direct connection works: 2.00 ms median round trip. The relay adds 10.3 ms per round trip here.']]],
  ['remote candidate type missing', done({
    direct: loop('all', true, { medianRttMs: 2, localCandidateType: 'host', remoteCandidateType: null }),
  }), 'ok', [['ok', TURN_OK_1], ['ok', 'Direct connection works (host ↔ ?): 2.00 ms median round trip. The relay adds 10.3 ms per round trip here.']]],
  ['direct slower than the relay: the relay adds 0', done({
    direct: loop('all', true, { medianRttMs: 30, localCandidateType: 'host', remoteCandidateType: 'host' }),
  }), 'ok', [['ok', TURN_OK_1], ['ok', 'Direct connection works (host ↔ host): 30.0 ms median round trip. The relay adds 0.00 ms per round trip here.']]],
  ['no RTT measured on either side: "?" and no comparison', done({
    relay: loop('relay', true, { medianRttMs: null }),
    direct: loop('all', true, { medianRttMs: null, localCandidateType: 'relay', remoteCandidateType: 'host' }),
  }), 'ok', [
    ['ok', 'TURN works: 1 relay candidate gathered, and data went through the relay and back in ? ms median.'],
    ['ok', 'Direct connection works (relay ↔ host): ? ms median round trip.'],
  ]],
  ['direct fails, relay works: a warning', done({ direct: loop('all', false) }), 'warn', [
    ['ok', TURN_OK_1],
    ['warn', DIRECT_FAILED('connecting timed out after 10000 ms', 'Calls will need the TURN relay.')],
  ]],
  ['both fail: an error', done({ relay: loop('relay', false, { error: 'x' }), direct: loop('all', false, { error: null }) }), 'error', [
    ['error', `TURN allocated a relay, but data did not get through it (x). The relay may not be allowed to reach the peer's address — ${GUIDE}.`],
    ['error', DIRECT_FAILED('unknown error', 'Neither path works from this browser.')],
  ]],
  ['no srflx while the direct path works: only a note', done({ gather: gather(['host', 'relay']) }), 'ok', [
    ['ok', TURN_OK_1], ['ok', DIRECT_OK], ['ok', NO_SRFLX],
  ]],
  ['no srflx and the direct path failed: a warning', done({ gather: gather(['host', 'relay']), direct: loop('all', false) }), 'warn', [
    ['ok', TURN_OK_1],
    ['warn', DIRECT_FAILED('connecting timed out after 10000 ms', 'Calls will need the TURN relay.')],
    ['warn', NO_SRFLX],
  ]],
  ['no srflx and no direct result yet: a warning', done({ gather: gather(['host', 'relay']), direct: null }), 'warn', [
    ['ok', TURN_OK_1], ['warn', NO_SRFLX],
  ]],
  ['no srflx and no ICE servers at all: nothing to say about STUN', done({
    servers: servers({ available: false, reason: 'off' }, []), gather: gather(['host']), relay: null,
    direct: loop('all', true, { medianRttMs: 0.5 }),
  }), 'error', [
    ['error', `This server offers no TURN relay: off. Calls only work where browsers can reach each other (or the SFU) directly — ${GUIDE}.`],
    ['ok', 'Direct connection works: 0.50 ms median round trip.'],
  ]],
  ['mDNS host names', done({ gather: { ...gather(['srflx', 'relay']), candidates: [row('host', '0b7c0c1e-1234.local'), row('srflx'), row('relay')] } }), 'ok', [
    ['ok', TURN_OK_1], ['ok', DIRECT_OK], ['ok', MDNS],
  ]],
  ['a .local name on a non-host candidate is not mDNS', done({ gather: { ...gather(['host', 'relay']), candidates: [row('host'), row('srflx', 'x.local'), row('relay')] } }), 'ok', [
    ['ok', TURN_OK_1], ['ok', DIRECT_OK],
  ]],
  ['gathering cut short by the timeout', done({ gather: gather(['host', 'srflx', 'relay'], { complete: false, elapsedMs: 6_012 }) }), 'warn', [
    ['ok', TURN_OK_1], ['ok', DIRECT_OK],
    ['warn', 'Candidate gathering did not finish within 6 s; a STUN/TURN server may be unreachable.'],
  ]],
  ['the worst line wins: warnings under an error', done({
    servers: servers({ available: false, reason: 'off' }), gather: gather(['host'], { complete: false, elapsedMs: 5_600 }), relay: null, direct: loop('all', false),
  }), 'error', [
    ['error', `This server offers no TURN relay: off. Calls only work where browsers can reach each other (or the SFU) directly — ${GUIDE}.`],
    ['error', DIRECT_FAILED('connecting timed out after 10000 ms', 'Neither path works from this browser.')],
    ['warn', NO_SRFLX],
    ['warn', 'Candidate gathering did not finish within 6 s; a STUN/TURN server may be unreachable.'],
  ]],
];

describe('verdictOf', () => {
  it.each(cases)('%s', (_, state, level, lines) => {
    const verdict = verdictOf(state);
    expect(verdict.lines.map((l) => [l.level, l.text])).toEqual(lines);
    expect(verdict.level).toBe(level);
  });

  it('formats milliseconds with two decimals under 10 ms and one from 10 ms', () => {
    const text = (median: number) => verdictOf(done({ relay: loop('relay', true, { medianRttMs: median }), direct: null })).lines[0].text;
    expect(text(9.994)).toContain('in 9.99 ms median');
    expect(text(10)).toContain('in 10.0 ms median');
    expect(text(0)).toContain('in 0.00 ms median');
  });
});
