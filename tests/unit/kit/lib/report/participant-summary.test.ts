// The participants CLI's printed summary on a fixed window.
import { describe, expect, it } from 'vitest';
import type { ParticipantWindow } from '../../../../../scripts/kit/lib/measure/window-metrics';
import { formatParticipant } from '../../../../../scripts/kit/lib/report/participant-summary';

const w: ParticipantWindow = {
  seconds: 10,
  uploadKbps: 650.4,
  downloadKbps: 640,
  connections: 1,
  uploadConnections: 1,
  activeEncoders: 1,
  outboundVideoStreams: 2,
  remotes: [
    { id: 'x', name: 'bot2', framesDecoded: 450, inRoster: true, fps: 14.94, freezes: 0, freezeSeconds: 0, resolution: '640x360' },
    { id: 'y', name: 'y', framesDecoded: 3, inRoster: false, fps: 0.3, freezes: null, freezeSeconds: null, resolution: null },
  ],
  rttMs: 1.23,
  pingMs: null,
  localCandidateTypes: ['host'],
  qualityLimitation: { none: 1, cpu: 1 },
  cpuPct: null,
};

describe('formatParticipant', () => {
  it('prints one head line and one line per remote', () => {
    expect(formatParticipant('bot1', w, 2100).split('\n')).toEqual([
      'bot1: up 650 kbps, down 640 kbps, rtt 1.2 ms, join 2100 ms, encoders 1/2, cpu -, paths host, limited by cpu',
      '    from bot2: 450 frames, 14.9 fps, freezes 0 (0.0 s), 640x360',
      '    from y (not in roster): 3 frames, 0.3 fps, freezes -, -',
    ]);
    expect(formatParticipant('bot1', { ...w, qualityLimitation: {}, localCandidateTypes: [] }, null)).toContain('join -, encoders 1/2, cpu -, paths -\n');
  });
});
