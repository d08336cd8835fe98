// One loopback test's outcome (relay-only or direct): pass/fail, median round trip, the pair it used.
import type { LoopbackResult } from '../../lib/connectivity/loopback';

interface Props {
  title: string;
  explanation: string;
  result: LoopbackResult | null;
  running: boolean;
  testId: string;
}

const fmt = (v: number | null) => (v === null ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`);

export function LoopbackCard({ title, explanation, result, running, testId }: Props) {
  const state = result ? (result.ok ? 'ok' : 'fail') : running ? 'running' : 'pending';
  return (
    <section
      className={`cx-test cx-${state}`}
      data-testid={testId}
      data-ok={result ? String(result.ok) : undefined}
      data-rtt-ms={result?.medianRttMs ?? undefined}
      data-local-type={result?.localCandidateType ?? undefined}
    >
      <header className="cx-test-head">
        <h3>{title}</h3>
        <span className="cx-pill">{{ ok: 'works', fail: 'failed', running: 'running…', pending: 'not run' }[state]}</span>
      </header>
      <p className="muted">{explanation}</p>
      {result && (
        <dl className="cx-facts">
          <dt>Median round trip</dt>
          <dd>{fmt(result.medianRttMs)}</dd>
          <dt>Messages back</dt>
          <dd>
            {result.received} / {result.sent}
          </dd>
          <dt>Selected pair</dt>
          <dd>
            {result.localCandidateType ?? '—'} ↔ {result.remoteCandidateType ?? '—'}
            {result.protocol ? ` (${result.protocol})` : ''}
          </dd>
          <dt>ICE pair RTT</dt>
          <dd>{fmt(result.pairRttMs)}</dd>
          <dt>Connected in</dt>
          <dd>{fmt(result.connectMs)}</dd>
        </dl>
      )}
      {result?.error && <p className="field-error">{result.error}</p>}
    </section>
  );
}
