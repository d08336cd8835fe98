'use client';
// The lesson in one chart: upload per participant (y) against participants N (x), measured points
// of every session and each session's expected line (mesh (N-1)·b climbs, the SFU's stays flat).
import { MODE_INFO } from '../../lib/mode-info';
import { byParticipants, expectedUpload, type Session } from '../../lib/present/session';
import { kbpsText } from '../stats/format';
import { KbpsGrid } from './KbpsGrid';
import { roundUp, scale, SESSION_COLORS, type Frame } from './svg-axes';

const FRAME: Frame = { width: 960, height: 420, left: 150, right: 30, top: 20, bottom: 70 };

export function UploadVsN({ sessions }: { sessions: Session[] }) {
  const rows = sessions.map((s) => byParticipants(s.points));
  const maxN = Math.max(6, ...rows.flat().map((r) => r.n));
  const ns = Array.from({ length: maxN - 1 }, (_, i) => i + 2);
  const expected = sessions.map((s) => ns.map((n) => ({ n, kbps: expectedUpload(s, n) })));
  const yMax = roundUp(Math.max(100, ...rows.flat().map((r) => r.uploadKbps), ...expected.flat().map((e) => e.kbps ?? 0)));
  const { x, y } = scale(FRAME, 1.5, maxN + 0.5, yMax);
  return (
    <figure className="present-chart" data-testid="present-upload-vs-n">
      <svg viewBox={`0 0 ${FRAME.width} ${FRAME.height}`} role="img" aria-label="upload per participant against the number of participants">
        <KbpsGrid frame={FRAME} yMax={yMax} y={y} />
        {ns.map((n) => (
          <text key={n} x={x(n)} y={FRAME.height - FRAME.bottom + 34} textAnchor="middle" className="axis-label">{n}</text>
        ))}
        <text x={(FRAME.left + FRAME.width) / 2} y={FRAME.height - 6} textAnchor="middle" className="axis-title">participants N</text>
        {sessions.map((s, i) => {
          const color = SESSION_COLORS[i % SESSION_COLORS.length];
          const line = expected[i].filter((e) => e.kbps !== null).map((e) => `${x(e.n)},${y(e.kbps!)}`).join(' ');
          const measured = rows[i].map((r) => `${x(r.n)},${y(r.uploadKbps)}`).join(' ');
          return (
            <g key={s.id} data-testid="present-series" data-mode={s.mode} data-points={rows[i].length}>
              {line && <polyline points={line} fill="none" stroke={color} strokeWidth={3} strokeDasharray="10 8" opacity={0.8} />}
              {measured && <polyline points={measured} fill="none" stroke={color} strokeWidth={5} />}
              {rows[i].map((r) => (
                <circle key={r.n} cx={x(r.n)} cy={y(r.uploadKbps)} r={9} fill={color}>
                  <title>{`N=${r.n}: ${kbpsText(r.uploadKbps)} measured over ${r.samples} s`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="present-legend">
        {sessions.map((s, i) => (
          <span key={s.id}>
            <i style={{ background: SESSION_COLORS[i % SESSION_COLORS.length] }} /> {MODE_INFO[s.mode].label}: measured (solid),
            expected {s.mode === 'mesh' ? '(N-1)·b' : 'one stream set, flat'} (dashed)
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
