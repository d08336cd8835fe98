'use client';
// The cost model next to the measurement, like with like: b from what we encode (per copy in mesh,
// per layer in SFU), expected against measured per layer and per link at one level each, the
// protocol overhead on its own lines, and a steady-state error beyond ±15 % flagged "investigate".
import type { Mode } from '../../../signaling/protocol';
import { costModel, INVESTIGATE_PCT, type CostRow } from '../../lib/stats/cost-model';
import type { Sample } from '../../lib/stats/sample';
import type { ReceivedRates, ServerAnswer } from '../../lib/stats/sharing';
import { kbpsText, pctText } from './format';

const GROUPS: Record<CostRow['group'], { mesh: string; sfu: string }> = {
  upload: { mesh: 'Our upload', sfu: 'Our upload: browser → SFU' },
  links: { mesh: 'Each link: our copy, end to end', sfu: 'Our stream, SFU → each receiver' },
  egress: { mesh: '', sfu: 'SFU egress' },
};

const VERDICT_TEXT: Partial<Record<CostRow['verdict'], string>> = {
  investigate: 'investigate',
  settling: 'settling',
  off: 'off',
  mismatch: 'levels differ',
};

export function CostModelCheck({ mode, selfId, samples, serverHistory, received }: {
  mode: Mode;
  selfId: string;
  samples: readonly Sample[];
  serverHistory: readonly ServerAnswer[];
  received: Readonly<Record<string, readonly ReceivedRates[]>>;
}) {
  const report = costModel({ mode, selfId, samples, server: serverHistory, received });
  if (!report) return null;
  const groups = (['upload', 'links', 'egress'] as const).filter((g) => report.rows.some((r) => r.group === g));
  return (
    <div className="cost-model" data-testid="cost-model" data-steady={report.steady} data-mode={mode}>
      <p className="muted">
        N = {report.n}. <strong>b</strong>, what we encode (payload): {report.b.map((l) => `${l.label} ${kbpsText(l.kbps)}`).join(' · ') || '—'}.{' '}
        {mode === 'mesh'
          ? 'Mesh: we encode and send our own copy to each of the N-1 others, so upload ≈ (N-1)·b.'
          : 'SFU: we upload one stream set whatever N; the SFU forwards one layer of every stream to every other participant, so its egress is the sum of the layers it picks.'}
      </p>
      <p className={report.steady ? 'muted' : 'cost-settling'} data-testid="cost-steady">
        {report.steady
          ? `Steady: each row compares like with like (payload, RTP or wire); beyond ±${INVESTIGATE_PCT} % a row says "investigate".`
          : `Settling (${report.settling}): errors shown, not judged.`}
      </p>
      <table className="stats-table cost-table">
        <thead>
          <tr><th></th><th>Level</th><th>Expected</th><th>Measured</th><th>Error</th></tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g}>
            <tr className="cost-group"><th colSpan={5}>{GROUPS[g][mode]}</th></tr>
            {report.rows.filter((r) => r.group === g).map((r) => (
              <tr key={r.id} data-testid={`cost-${r.id}`} data-verdict={r.verdict} data-level={r.level} data-error-pct={r.errorPct ?? ''} title={r.source}>
                <td>{r.label}</td>
                <td className="muted">{r.level}</td>
                <td>{kbpsText(r.expectedKbps)}</td>
                <td>{kbpsText(r.measuredKbps)}</td>
                <td className={`verdict-${r.verdict}`}>
                  {pctText(r.errorPct)}
                  {VERDICT_TEXT[r.verdict] && <span className="cost-flag"> {VERDICT_TEXT[r.verdict]}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      <ul className="cost-overhead">
        {report.overhead.map((o) => (
          <li key={o.id} data-testid={`cost-overhead-${o.id}`} data-overhead-pct={o.overheadPct ?? ''}>
            <strong>Protocol overhead, {o.label}:</strong>{' '}
            {o.steps.map((s, i) => `${i ? ' + ' : ''}${s.label} ${kbpsText(s.kbps)}`).join('')} = wire {kbpsText(o.wireKbps)}
            {o.overheadPct !== null && ` (${o.overheadPct.toFixed(1)} % of the wire)`}
          </li>
        ))}
      </ul>
    </div>
  );
}
