'use client';
// The presentation charts' horizontal grid with its kbps labels on the left.
import { kbpsText } from '../stats/format';
import { ticks, type Frame } from './svg-axes';

export function KbpsGrid({ frame, yMax, y, small }: { frame: Frame; yMax: number; y: (v: number) => number; small?: boolean }) {
  return (
    <>
      {ticks(yMax).map((v) => (
        <g key={v}>
          <line x1={frame.left} x2={frame.width - frame.right} y1={y(v)} y2={y(v)} className="grid-line" />
          <text x={frame.left - 12} y={y(v) + (small ? 7 : 8)} textAnchor="end" className={small ? 'axis-label small' : 'axis-label'}>
            {kbpsText(v)}
          </text>
        </g>
      ))}
    </>
  );
}
