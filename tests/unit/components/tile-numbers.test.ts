// The tiles' overlays on the SFU path: the layer a peer's camera arrives at and the one we asked for,
// and how many of our camera's layers are on; the normalizer's per-layer `active` they read.
import { describe, expect, it } from 'vitest';
import { tileNumbers } from '../../../app/components/stats/tile-numbers';
import type { RawConnectionStats, SimulcastState } from '../../../app/lib/call/engine';
import { normalize } from '../../../app/lib/stats/normalize';

const outbound = (rid: string, active: boolean, bytes: number, width: number) => ({
  id: `out-${rid}`, type: 'outbound-rtp', kind: 'video', rid, active, bytesSent: bytes, frameWidth: width, frameHeight: (width * 9) / 16, framesEncoded: 10,
});
const send = (offBytes: number): RawConnectionStats => ({
  id: 'send', role: 'send', peerId: null, state: 'connected', sending: true,
  stats: [outbound('r0', true, 1_000 + offBytes, 160), outbound('r1', false, 5_000, 640)],
});
const recv: RawConnectionStats = {
  id: 'recv', role: 'recv', peerId: null, state: 'connected', sending: false, peerByTrack: { t1: 'bob' },
  stats: [{ id: 'in-1', type: 'inbound-rtp', kind: 'video', trackIdentifier: 't1', bytesReceived: 900, framesDecoded: 5, frameWidth: 160, frameHeight: 90 }],
};

describe('simulcast in the tile overlays', () => {
  const roster = [{ id: 'bob', name: 'Bob' }];
  const first = normalize([send(0), recv], null, { mode: 'sfu', now: 0, roster });
  const sample = normalize([send(2_000), recv], first, { mode: 'sfu', now: 1_000, roster });
  const simulcast: SimulcastState = { receiving: { bob: { width: 150, height: 84, spatialLayer: 0 } }, sending: { layers: 2, maxSpatialLayer: 0 } };

  it('reads each outbound layer’s active flag', () => {
    expect(sample.layers.map((l) => [l.rid, l.active])).toEqual([['r0', true], ['r1', false]]);
  });

  it('shows the layer received and asked for on a remote tile, and our layers on at home', () => {
    expect(tileNumbers(sample, 'bob', simulcast)).toContain('160×90 L0 (asked L0)');
    expect(tileNumbers(sample, null, simulcast)).toContain('layers 1/2 on');
    // Mesh (no simulcast state): the overlays stay as they were.
    expect(tileNumbers(sample, 'bob')).not.toContain('asked');
    expect(tileNumbers(sample, null)).not.toContain('layers');
  });
});
