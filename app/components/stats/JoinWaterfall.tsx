'use client';
// The stats panel's "time to first frame": this join's steps from navigation to the first decoded
// remote frame as a compact waterfall (one bar per step, placed where it ran), with the total.
import type { JoinMarks } from '../../lib/call/join-marks';
import { joinWaterfall } from '../../lib/stats/join-waterfall';
import { msText } from './format';

export function JoinWaterfall({ marks }: { marks: JoinMarks }) {
  const w = joinWaterfall(marks);
  // The scale: the latest mark reached (a late SFU send transport can end after the first frame).
  const span = Math.max(1, ...w.steps.map((s) => s.atMs ?? 0));
  return (
    <div className="join-waterfall" data-testid="join-waterfall" data-complete={w.complete} data-total-ms={w.totalMs ?? ''}>
      <p className="muted">
        From {w.fromNavigation ? 'opening the page' : 'asking to join again'} to the first decoded frame of someone else:{' '}
        <strong data-testid="join-total">{msText(w.totalMs)}</strong>
        {w.totalMs === null && ' (not yet)'}. Each step counts from the one before it.
      </p>
      <table className="stats-table">
        <tbody>
          {w.steps.map((s) => {
            const end = s.atMs ?? 0;
            const begin = end - (s.ms ?? 0);
            return (
              <tr key={s.name} data-testid="join-step" data-step={s.name} data-state={s.state} data-ms={s.ms ?? ''}>
                <td>{s.label}</td>
                <td className="join-ms">{s.state === 'reached' ? msText(s.ms) : 'waiting'}</td>
                <td className="join-bar-cell" aria-hidden="true">
                  {s.state === 'reached' && (
                    <span className="join-bar" style={{ marginLeft: `${(begin / span) * 100}%`, width: `max(2px, ${((s.ms ?? 0) / span) * 100}%)` }} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
