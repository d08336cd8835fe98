// A screen share as its own line in the sample: which outbound encodings carry our share (their
// media-source's track is one the engine names), what it costs in mesh (one copy per peer) and in
// SFU (one), and the others' shares kept apart from their camera numbers.
import { describe, expect, it } from 'vitest';
import type { RawConnectionStats } from '../../../app/lib/call/engine';
import { toCallStats } from '../../../app/lib/stats/call-stats';
import { normalize } from '../../../app/lib/stats/normalize';

const roster = [{ id: 'b', name: 'B' }, { id: 'c', name: 'C' }];
const sources = [
  { id: 'SA1', type: 'media-source', kind: 'audio', trackIdentifier: 'mic' },
  { id: 'SV2', type: 'media-source', kind: 'video', trackIdentifier: 'cam' },
  { id: 'SV3', type: 'media-source', kind: 'video', trackIdentifier: 'scr' },
];
const out = (id: string, mediaSourceId: string, bytesSent: number, extra: Record<string, unknown> = {}) => ({
  id, type: 'outbound-rtp', kind: mediaSourceId === 'SA1' ? 'audio' : 'video', mediaSourceId, bytesSent, ...extra,
});
const inbound = (id: string, trackIdentifier: string, bytesReceived: number, framesDecoded: number, frameWidth: number) => ({
  id, type: 'inbound-rtp', kind: 'video', trackIdentifier, bytesReceived, framesDecoded, frameWidth, frameHeight: frameWidth / 2, framesPerSecond: 10,
});

/** Mesh, t seconds in: we share to b and c; b shares too, c does not. */
function mesh(t: number, sharing = true): RawConnectionStats[] {
  return (['b', 'c'] as const).map((peer) => ({
    id: `peer:${peer}`, role: 'peer', peerId: peer, state: 'connected', sending: true,
    stats: [
      ...sources,
      out('OA', 'SA1', 1000 * t),
      out('OC', 'SV2', 10_000 * t, { frameWidth: 640 }),
      ...(sharing ? [out('OS', 'SV3', 20_000 * t, { frameWidth: 1280 })] : []),
      inbound('IC', `${peer}-cam`, 5000 * t, 30 * t, 640),
      ...(peer === 'b' ? [inbound('IS', 'b-scr', 8000 * t, 15 * t, 1280)] : []),
    ],
    screenTracks: [...(sharing ? ['scr'] : []), ...(peer === 'b' ? ['b-scr'] : [])],
  }));
}

function sfu(t: number): RawConnectionStats[] {
  return [
    {
      id: 'send', role: 'send', peerId: null, state: 'connected', sending: true,
      stats: [...sources, out('OL', 'SV2', 2000 * t, { rid: 'r0' }), out('OH', 'SV2', 10_000 * t, { rid: 'r1' }), out('OS', 'SV3', 20_000 * t)],
      screenTracks: ['scr'],
    },
    { id: 'recv', role: 'recv', peerId: null, state: 'connected', sending: false, stats: [], peerByTrack: {}, screenTracks: [] },
  ];
}

const two = (raw: (t: number) => RawConnectionStats[], mode: 'mesh' | 'sfu' = 'mesh') => {
  const first = normalize(raw(1), null, { mode, now: 1000, roster });
  return normalize(raw(2), first, { mode, now: 2000, roster });
};

describe('screen share in the stats sample', () => {
  it('mesh: our share is encoded once per peer connection, its upload its own line', () => {
    const s = two(mesh);
    expect(s.screen).toEqual({ upKbps: 320, encoders: 2, connections: 2, bytesSent: 80_000, downKbps: 64 });
    expect(s.layers.map((l) => [l.peerId, l.source])).toEqual([['b', 'camera'], ['b', 'screen'], ['c', 'camera'], ['c', 'screen']]);
    // The share is part of the video upload, not beside it.
    expect(s.upload.videoKbps).toBe(320 + 160);
    expect(s.activeEncoders).toBe(4);
  });

  it('SFU: one screen encoding on the send transport, next to the camera simulcast layers', () => {
    const s = two(sfu, 'sfu');
    expect(s.screen).toMatchObject({ upKbps: 160, encoders: 1, connections: 1 });
    expect(s.layers.map((l) => [l.rid, l.source])).toEqual([['r0', 'camera'], ['r1', 'camera'], [null, 'screen']]);
    expect(toCallStats(s).screen).toEqual({ encoders: 1, connections: 1, bytesSent: 40_000 });
  });

  it("keeps another's share apart from its camera numbers", () => {
    const s = two(mesh);
    const b = s.peers.find((p) => p.id === 'b')!;
    expect(b).toMatchObject({ framesDecoded: 60, width: 640 });
    expect(b.screen).toEqual({ framesDecoded: 30, width: 1280, height: 640, fps: 10, kbps: 64 });
    // Its bytes still count as what we receive from b.
    expect(b.kbps).toBe(40 + 64);
    expect(s.peers.find((p) => p.id === 'c')!.screen).toBeNull();
    expect(toCallStats(s).peers.map((p) => [p.name, p.framesDecoded, p.screenFramesDecoded])).toEqual([['B', 60, 30], ['C', 60, 0]]);
  });

  it('without a share (or from an engine that names no screen tracks) everything is camera and the line is empty', () => {
    const s = two((t) => mesh(t, false));
    expect(s.screen).toMatchObject({ encoders: 0, connections: 0, bytesSent: 0, upKbps: 0 });
    const unnamed = two((t) => mesh(t).map(({ screenTracks: _drop, ...rest }) => rest));
    expect(unnamed.screen).toMatchObject({ encoders: 0, connections: 0, downKbps: 0 });
    expect(unnamed.layers.every((l) => l.source === 'camera')).toBe(true);
  });
});
