'use client';
// One session over time: our upload, the cost model's expectation at each moment, and a marker at
// every join (+) and leave (-) with the new N, so the staircase (or its absence) is explained.
import { expectedUpload, joinLeaveMarkers, type Session } from '../../lib/present/session';
import { kbpsText } from '../stats/format';
import { roundUp, scale, ticks, type Frame } from './svg-axes';

const FRAME: Frame = { width: 640, height: 300, left: 100, right: 20, top: 40, bottom: 40 };

export function SessionTimeline({ session, color }: { session: Session; color: string }) {
  const points = session.points;
  if (points.length < 2) return <p className="muted">Waiting for samples…</p>;
  const t0 = points[0].t;
  const seconds = (t: number) => (t - t0) / 1000;
  const expected = points.map((p) => expectedUpload(session, p.n));
  const yMax = roundUp(Math.max(100, ...points.map((p) => p.uploadKbps ?? 0), ...expected.map((e) => e ?? 0)));
  const { x, y } = scale(FRAME, 0, seconds(points.at(-1)!.t), yMax);
  const path = (values: (number | null)[]) =>
    values.map((v, i) => (v === null ? null : `${x(seconds(points[i].t))},${y(v)}`)).filter(Boolean).join(' ');
  const markers = joinLeaveMarkers(points);
  return (
    <svg className="present-timeline" viewBox={`0 0 ${FRAME.width} ${FRAME.height}`} data-testid="present-timeline"
      data-markers={markers.length} role="img" aria-label={`upload over time, ${markers.length} joins and leaves`}>
      {ticks(yMax, 3).map((v) => (
        <g key={v}>
          <line x1={FRAME.left} x2={FRAME.width - FRAME.right} y1={y(v)} y2={y(v)} className="grid-line" />
          <text x={FRAME.left - 10} y={y(v) + 7} textAnchor="end" className="axis-label small">{kbpsText(v)}</text>
        </g>
      ))}
      {markers.map((m) => (
        <g key={m.t} data-testid="present-marker">
          <line x1={x(seconds(m.t))} x2={x(seconds(m.t))} y1={FRAME.top - 6} y2={FRAME.height - FRAME.bottom} className="marker" />
          <text x={x(seconds(m.t))} y={FRAME.top - 12} textAnchor="middle" className="axis-label small">
            {m.delta > 0 ? '+' : '−'}{Math.abs(m.delta)} → N={m.n}
          </text>
        </g>
      ))}
      <polyline points={path(expected)} fill="none" className="expected" />
      <polyline points={path(points.map((p) => p.uploadKbps))} fill="none" className="measured" stroke={color} />
      <text x={FRAME.width - FRAME.right} y={FRAME.height - 8} textAnchor="end" className="axis-label small">
        {Math.round(seconds(points.at(-1)!.t))} s
      </text>
    </svg>
  );
}
