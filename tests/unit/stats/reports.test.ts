import { describe, expect, it } from 'vitest';
import { selectedPath } from '../../../app/lib/stats/reports';

const stats = (local: Record<string, unknown>) => [
  { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
  { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', state: 'succeeded', nominated: true, currentRoundTripTime: 0.0123 },
  { id: 'L', type: 'local-candidate', ...local },
  { id: 'R', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
];

describe('selected path', () => {
  it('reports the transport to the first hop: for a relay, the one to the TURN server', () => {
    expect(selectedPath(stats({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' }))).toEqual({
      localCandidateType: 'relay', remoteCandidateType: 'host', protocol: 'tcp', relayed: true, rttMs: 12.3,
    });
    expect(selectedPath(stats({ candidateType: 'srflx', protocol: 'udp' }))).toMatchObject({ protocol: 'udp', relayed: false });
  });

  it('has nothing before a pair is selected', () => {
    expect(selectedPath([])).toEqual({ localCandidateType: null, remoteCandidateType: null, protocol: null, relayed: false, rttMs: null });
  });
});
