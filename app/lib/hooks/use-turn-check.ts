// Checks once per call, in the background, that the TURN server gives a relay (turn-check.ts), so a
// wrong TURN secret or a blocked TURN port is said in words instead of showing only as peers that
// never connect. A failed request (server gone) is not a TURN problem and says nothing.
import { useEffect, useState } from 'react';
import { checkTurn, type TurnProblem } from '../connectivity/turn-check';

export function useTurnCheck(active: boolean, callKey: unknown): TurnProblem | null {
  const [problem, setProblem] = useState<TurnProblem | null>(null);
  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    checkTurn(abort.signal).then(
      (p) => !abort.signal.aborted && setProblem(p),
      () => undefined,
    );
    return () => abort.abort();
  }, [active, callKey]);
  return problem;
}
