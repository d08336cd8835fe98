'use client';
// One session over time: each participant's upload (one line each), the cost model's expectation
// at each moment (dashed), and a marker at every join (+) and leave (-) with the new N, so the
// staircase (or its absence) is explained.
import { byParticipant, expectedUpload, joinLeaveMarkers, type Session } from '../../lib/present/session';
import { KbpsGrid } from './KbpsGrid';
import { roundUp, scale, type Frame } from './svg-axes';

const FRAME: Frame = { width: 640, height: 300, left: 130, right: 20, top: 40, bottom: 40 };

export function SessionTimeline({ session, color }: { session: Session; color: string }) {
  const series = [...byParticipant(session.points).values()].filter((s) => s.length > 1);
  if (series.length === 0) return <p className="muted">Waiting for samples…</p>;
  const all = series.flat();
  const t0 = Math.min(...all.map((p) => p.t));
  const tEnd = Math.max(...all.map((p) => p.t));
  const seconds = (t: number) => (t - t0) / 1000;
  const longest = [...series].sort((a, b) => b.length - a.length)[0];
  const expected = longest.map((p) => ({ t: p.t, kbps: expectedUpload(session, p.n) }));
  const yMax = roundUp(Math.max(100, ...all.map((p) => p.uploadKbps ?? 0), ...expected.map((e) => e.kbps ?? 0)));
  const { x, y } = scale(FRAME, 0, seconds(tEnd), yMax);
  const path = (values: { t: number; kbps: number | null }[]) =>
    values.filter((v) => v.kbps !== null).map((v) => `${x(seconds(v.t))},${y(v.kbps!)}`).join(' ');
  const markers = joinLeaveMarkers(session.points);
  return (
    <svg className="present-timeline" viewBox={`0 0 ${FRAME.width} ${FRAME.height}`} data-testid="present-timeline"
      data-markers={markers.length} role="img" aria-label={`upload over time, ${markers.length} joins and leaves`}>
      <KbpsGrid frame={FRAME} yMax={yMax} y={y} small />
      {markers.map((m) => (
        <g key={m.t} data-testid="present-marker">
          <line x1={x(seconds(m.t))} x2={x(seconds(m.t))} y1={FRAME.top - 6} y2={FRAME.height - FRAME.bottom} className="marker" />
          <text x={x(seconds(m.t))} y={FRAME.top - 12} textAnchor="middle" className="axis-label small">
            {m.delta > 0 ? '+' : '−'}{Math.abs(m.delta)} → N={m.n}
          </text>
        </g>
      ))}
      <polyline points={path(expected)} fill="none" className="expected" />
      {series.map((points) => (
        <polyline key={points[0].who ?? ''} points={path(points.map((p) => ({ t: p.t, kbps: p.uploadKbps })))} fill="none"
          className="measured" stroke={color}>
          <title>{points[0].who ?? 'upload'}</title>
        </polyline>
      ))}
      <text x={FRAME.width - FRAME.right} y={FRAME.height - 8} textAnchor="end" className="axis-label small">
        {Math.round(seconds(tEnd))} s
      </text>
    </svg>
  );
}
