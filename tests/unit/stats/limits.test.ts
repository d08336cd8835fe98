// The machine-limit warning on fixed samples: it fires only after the condition held for several
// samples, names the reason in plain words, and stays quiet on a healthy call.
import { describe, expect, it } from 'vitest';
import { LIMIT_PERSISTENCE, machineLimits } from '../../../app/lib/stats/limits';
import type { Sample } from '../../../app/lib/stats/sample';

function sample(opts: { reason?: string; encodeFps?: number; peerFps?: number | null; peerKbps?: number }): Sample {
  return {
    layers: [{ connectionId: 'c', peerId: null, rid: 'r1', kbps: 500, width: 640, height: 360, fps: opts.encodeFps ?? 15,
      framesEncoded: 1, qualityLimitationReason: opts.reason ?? 'none' }],
    peers: [{ id: 'b', name: 'Bea', inRoster: true, framesDecoded: 1, bytesReceived: 1, fps: opts.peerFps ?? 15, width: 640,
      height: 360, jitterMs: 1, packetLossPct: 0, freezeCount: 0, freezeSeconds: 0, kbps: opts.peerKbps ?? 400 }],
  } as unknown as Sample;
}
const repeat = (s: Sample, n = LIMIT_PERSISTENCE) => Array.from({ length: n }, () => s);

describe('machineLimits', () => {
  it('says nothing on a healthy call', () => {
    expect(machineLimits(repeat(sample({})), {}, { b: 'Bea' }, 15)).toEqual([]);
  });

  it('reports our CPU-limited encoder only once it persisted', () => {
    const limited = sample({ reason: 'cpu' });
    expect(machineLimits([sample({}), ...repeat(limited, LIMIT_PERSISTENCE - 1)], {}, {}, 15)).toEqual([]);
    const limits = machineLimits(repeat(limited), {}, {}, 15);
    expect(limits).toEqual([expect.objectContaining({ who: 'self', reason: 'cpu' })]);
    expect(limits[0].text).toMatch(/CPU/);
  });

  it('reports an encoder far below the camera frame rate, and choppy received video by name', () => {
    const limits = machineLimits(repeat(sample({ encodeFps: 5, peerFps: 3 })), {}, { b: 'Bea' }, 30);
    expect(limits.map((l) => [l.who, l.reason])).toEqual([
      ['self', 'low-fps'],
      ['b', 'low-fps'],
    ]);
    expect(limits[1].text).toContain('Bea');
  });

  it("passes on a peer's own shared limit", () => {
    const share = { upKbps: 1, downKbps: 1, videoUpKbps: 1, rttMs: null, pingMs: null, encoders: 1, connections: 1, limitReason: 'bandwidth', from: 'b', at: 0 };
    expect(machineLimits(repeat(sample({})), { b: share }, { b: 'Bea' }, 15)).toEqual([
      expect.objectContaining({ who: 'b', reason: 'bandwidth' }),
    ]);
  });

  it('does not call a peer whose video is off (no bytes) choppy', () => {
    expect(machineLimits(repeat(sample({ peerFps: 0, peerKbps: 0 })), {}, {}, 15)).toEqual([]);
  });
});
