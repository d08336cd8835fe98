'use client';
// What the call's TURN check found (app/lib/connectivity/turn-check.ts), in plain words.
import type { TurnProblem } from '../../lib/connectivity/turn-check';

export function TurnNotice({ problem }: { problem: TurnProblem }) {
  return (
    <div className="alert error" role="alert" data-testid="turn-problem" data-code={problem.code}>
      <strong>{problem.message}</strong> <code>{problem.code}</code>
      {problem.details.length > 0 && (
        <details>
          <summary>What the browser said</summary>
          <ul>
            {problem.details.map((d) => (
              <li key={d}>
                <code>{d}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
