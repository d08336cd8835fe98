'use client';
// "What can the server see?": the trade-off of the current call, computed from it (mode, end-to-end
// encryption, relayed paths), not written once for all calls.
import type { ServerViewInput } from '../../lib/stats/server-view';
import { serverView } from '../../lib/stats/server-view';

const LABEL = { signaling: 'Signaling server', sfu: 'SFU (media server)', turn: 'TURN relay', none: 'Your media' } as const;

export function ServerView(input: ServerViewInput) {
  return (
    <ul className="server-view" data-testid="server-sees" data-mode={input.mode} data-e2ee={!!input.e2ee}>
      {serverView(input).map((row, i) => (
        <li key={i} data-testid="server-sees-row" data-server={row.server} data-reads={row.reads}>
          <strong>{LABEL[row.server]}</strong> {row.reads === 'content' ? <em className="reads-content">reads your audio and video.</em> : null} {row.text}
        </li>
      ))}
    </ul>
  );
}
