// The presentation view's maths on fixed sessions: N per sample, medians per N, the cost model's
// expected lines (mesh climbs with N-1, the SFU stays flat), join/leave markers, and bad files.
import { describe, expect, it } from 'vitest';
import {
  byParticipant,
  byParticipants,
  expectedUpload,
  joinLeaveMarkers,
  pointOf,
  sessionFromExport,
  type Session,
} from '../../../app/lib/present/session';

const sample = (t: number, upload: number | null, peerKbps: (number | null)[], extra: { inRoster?: boolean }[] = []) => ({
  timestamp: t,
  mode: 'mesh' as const,
  upload: { totalKbps: upload },
  peers: peerKbps.map((kbps, i) => ({ kbps, ...extra[i] })),
});

describe('pointOf', () => {
  it('counts us plus the roster, and takes b as the median received stream', () => {
    expect(pointOf(sample(1, 800, [400, 420, null]))).toEqual({ t: 1, n: 4, uploadKbps: 800, streamKbps: 410 });
  });
  it('leaves out media from peers missing from the roster', () => {
    expect(pointOf(sample(1, 800, [400, 999], [{}, { inRoster: false }])).n).toBe(2);
  });
});

describe('cost model lines', () => {
  const mesh: Session = {
    id: 'm', label: 'm', mode: 'mesh',
    points: [
      { t: 0, n: 2, uploadKbps: 400, streamKbps: 400 },
      { t: 1, n: 3, uploadKbps: 800, streamKbps: 400 },
      { t: 2, n: 3, uploadKbps: 820, streamKbps: 400 },
      { t: 3, n: 2, uploadKbps: 410, streamKbps: 400 },
    ],
  };
  it('groups by N with medians', () => {
    expect(byParticipants(mesh.points)).toEqual([
      { n: 2, uploadKbps: 405, streamKbps: 400, samples: 2 },
      { n: 3, uploadKbps: 810, streamKbps: 400, samples: 2 },
    ]);
  });
  it('expects (N-1)·b in mesh and a flat line in SFU', () => {
    expect(expectedUpload(mesh, 5)).toBe(1600);
    const sfu: Session = { ...mesh, mode: 'sfu', points: mesh.points.map((p) => ({ ...p, uploadKbps: 500 })) };
    expect(expectedUpload(sfu, 2)).toBe(500);
    expect(expectedUpload(sfu, 6)).toBe(500);
  });
  it('marks joins and leaves once when several participants of one call report them', () => {
    const two = [
      ...mesh.points.map((p) => ({ ...p, who: 'ana' })),
      ...mesh.points.slice(1).map((p) => ({ ...p, t: p.t + 0.5, who: 'ben' })),
    ];
    expect(joinLeaveMarkers(two)).toEqual(joinLeaveMarkers(mesh.points));
    expect([...byParticipant(two).keys()]).toEqual(['ana', 'ben']);
  });
  it('marks every join and leave with the new N', () => {
    expect(joinLeaveMarkers(mesh.points)).toEqual([
      { t: 1, n: 3, delta: 1 },
      { t: 3, n: 2, delta: -1 },
    ]);
  });
});

describe('sessionFromExport', () => {
  it('reads the stats panel export', () => {
    const session = sessionFromExport(JSON.stringify([sample(5, 300, [280]), sample(6, 310, [290, 300])]), 'lesson.json');
    expect(session).toMatchObject({ label: 'lesson.json', mode: 'mesh' });
    expect(session.points.map((p) => p.n)).toEqual([2, 3]);
  });
  it('refuses other files with a message a person can act on', () => {
    expect(() => sessionFromExport('not json', 'a.txt')).toThrow(/a\.txt is not JSON/);
    expect(() => sessionFromExport('[]', 'empty.json')).toThrow(/no samples/);
    expect(() => sessionFromExport(JSON.stringify([{ timestamp: 1 }]), 'x.json')).toThrow(/not a stats export/);
  });
});
