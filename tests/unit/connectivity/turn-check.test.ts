import { describe, expect, it } from 'vitest';
import type { CandidateRow, GatherResult } from '../../../app/lib/connectivity/candidates';
import { offersTurn, turnProblem } from '../../../app/lib/connectivity/turn-check';

const turn: RTCIceServer[] = [{ urls: 'stun:198.18.0.1:3478' }, { urls: ['turn:198.18.0.1:3478?transport=udp', 'turn:198.18.0.1:3478?transport=tcp'], username: 'u', credential: 'c' }];
const stunOnly: RTCIceServer[] = [{ urls: 'stun:198.18.0.1:3478' }];
const row = (type: string): CandidateRow => ({ type, protocol: 'udp', address: '198.18.0.1', port: 50000, priority: 1, relayProtocol: null, url: null, raw: '' });
const gather = (types: string[], errors: string[] = []): GatherResult => ({ candidates: types.map(row), complete: true, elapsedMs: 100, errors });

describe('TURN check', () => {
  it('knows which ICE server lists offer TURN', () => {
    expect(offersTurn(turn)).toBe(true);
    expect(offersTurn(stunOnly)).toBe(false);
    expect(offersTurn([{ urls: 'turns:t.example.org:443?transport=tcp' }])).toBe(true);
  });

  it('is quiet when a relay candidate came, or when no TURN was offered', () => {
    expect(turnProblem(turn, gather(['host', 'srflx', 'relay']))).toBeNull();
    expect(turnProblem(stunOnly, gather(['host'], ['stun:198.18.0.1:3478: 701 STUN binding request timed out']))).toBeNull();
  });

  it('names refused credentials (401) as such, with the browser’s words', () => {
    const p = turnProblem(turn, gather(['host', 'srflx'], ['turn:198.18.0.1:3478?transport=udp: 401 Unauthorized', 'stun:198.18.0.1:3478: 701 x']));
    expect(p).toMatchObject({ code: 'TURN_AUTH_FAILED', details: ['turn:198.18.0.1:3478?transport=udp: 401 Unauthorized'] });
    expect(p!.message).toMatch(/TURN_SECRET/);
  });

  it('calls anything else without a relay unreachable', () => {
    expect(turnProblem(turn, gather(['host'], ['turn:198.18.0.1:3478?transport=udp: 701 TURN allocate request timed out']))).toMatchObject({ code: 'TURN_UNREACHABLE' });
    expect(turnProblem(turn, gather(['host']))).toMatchObject({ code: 'TURN_UNREACHABLE', details: [] });
  });
});
