'use client';
// The connectivity check page: one button runs candidate gathering and the two loopback tests,
// then the results are explained in plain words. The work itself lives in app/lib/connectivity.
import { useCallback, useRef, useState } from 'react';
import { countByType } from '../../lib/connectivity/candidates';
import { INITIAL_CHECK, runConnectivityCheck, type CheckState } from '../../lib/connectivity/check';
import { verdictOf } from '../../lib/connectivity/verdict';
import { CandidateTable } from './CandidateTable';
import { LoopbackCard } from './LoopbackCard';
import './connectivity.css';

const STEP_TEXT: Record<CheckState['step'], string> = {
  idle: 'Not run yet.',
  fetching: 'Asking the server for ICE servers and fresh TURN credentials…',
  gathering: 'Gathering ICE candidates…',
  'relay-test': 'Sending data through the TURN relay and back…',
  'direct-test': 'Sending data over a direct connection for comparison…',
  done: 'Done.',
  failed: 'The check stopped.',
};

export function ConnectivityCheck() {
  const [state, setState] = useState<CheckState>(INITIAL_CHECK);
  const running = useRef(false);
  const busy = state.step !== 'idle' && state.step !== 'done' && state.step !== 'failed';

  const run = useCallback(async () => {
    // A double click must not start two checks that race each other's state updates.
    if (running.current) return;
    running.current = true;
    try {
      await runConnectivityCheck(setState);
    } finally {
      running.current = false;
    }
  }, []);

  const finished = state.step === 'done' || state.step === 'failed';
  const verdict = finished ? verdictOf(state) : null;
  const counts = state.gather ? countByType(state.gather.candidates) : {};

  return (
    <div className="card cx">
      <h1>Connectivity check</h1>
      <p className="muted">
        Can this browser reach the TURN server, and does data really flow through it? The check asks the server for
        short-lived TURN credentials, lists the ICE candidates your browser finds with them, then connects two
        peer connections inside this page — once forced through TURN, once directly — and times messages echoed
        between them. No camera or microphone is used.
      </p>
      <div className="actions">
        <button type="button" className="btn primary" onClick={run} disabled={busy} data-testid="connectivity-run">
          {busy ? 'Checking…' : finished ? 'Run again' : 'Run the check'}
        </button>
        <a className="btn ghost" href="/">
          Back to the lobby
        </a>
      </div>
      <p className="cx-step muted" data-testid="connectivity-step" data-step={state.step} aria-live="polite">
        {STEP_TEXT[state.step]}
      </p>

      {verdict && (
        <section className={`cx-verdict cx-${verdict.level}`} data-testid="connectivity-verdict" data-level={verdict.level}>
          {verdict.lines.map((line, i) => (
            <p key={i} className={`cx-line cx-${line.level}`}>
              {line.text}
            </p>
          ))}
        </section>
      )}

      {state.servers && (
        <section className="cx-section">
          <h2>ICE servers</h2>
          <ul className="cx-servers">
            {state.servers.iceServers.map((s, i) => (
              <li key={i} className="cx-mono">
                {[s.urls].flat().join(', ')}
                {s.username ? <span className="muted"> · user {s.username} · password hidden</span> : null}
              </li>
            ))}
            {state.servers.iceServers.length === 0 && <li className="muted">None: host candidates only.</li>}
          </ul>
          <p className="muted">
            TURN: {state.servers.turn.available ? 'offered' : `not offered (${state.servers.turn.reason ?? 'no reason given'})`}
            {state.servers.turn.available ? ` · credentials valid for ${Math.round(state.servers.iceTtlSeconds / 60)} min` : ''}
          </p>
        </section>
      )}

      {state.gather && (
        <section className="cx-section">
          <h2>
            Candidates{' '}
            <span className="muted cx-counts">
              {Object.entries(counts).map(([type, n]) => `${n} ${type}`).join(' · ') || 'none'}
            </span>
          </h2>
          <CandidateTable rows={state.gather.candidates} />
          {state.gather.errors.length > 0 && (
            <details className="cx-errors">
              <summary>{state.gather.errors.length} ICE server error(s) reported by the browser</summary>
              <ul>
                {state.gather.errors.map((e, i) => (
                  <li key={i} className="cx-mono">{e}</li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}

      {(state.relay || state.step === 'relay-test' || state.direct) && (
        <section className="cx-section cx-tests">
          <LoopbackCard
            title="Through TURN (relay only)"
            explanation="Both ends may only use relay candidates, so every message crosses the TURN server."
            result={state.relay}
            running={state.step === 'relay-test'}
            testId="relay-test-result"
          />
          <LoopbackCard
            title="Direct (any path)"
            explanation="The browser picks the best path, normally without the relay: the baseline."
            result={state.direct}
            running={state.step === 'direct-test'}
            testId="direct-test-result"
          />
        </section>
      )}
    </div>
  );
}
