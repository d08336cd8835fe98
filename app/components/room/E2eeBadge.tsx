'use client';
// The call header's end-to-end encryption chip: on, the safety code to compare aloud, and whose
// keys we hold. Shown only in rooms joined with e2ee.
import type { E2eeState } from '../../lib/call/e2ee/session';

export function E2eeBadge({ e2ee, peers }: { e2ee: E2eeState; peers: number }) {
  const failed = Object.values(e2ee.peers).reduce((sum, p) => sum + p.failed, 0);
  const title =
    'Media is encrypted in the browser with keys the server never holds. Compare the safety code with everyone (aloud): ' +
    'the same code everywhere means nobody, the server included, slipped in keys of its own.';
  return (
    <span className="chip e2ee" data-testid="e2ee-badge" data-code={e2ee.safetyCode ?? ''} data-keyed={e2ee.keyedPeers.length} data-failed={failed} title={title}>
      🔒 E2EE · code {e2ee.safetyCode ?? '…'}
      {e2ee.keyedPeers.length < peers && <span className="muted"> · waiting for {peers - e2ee.keyedPeers.length} key{peers - e2ee.keyedPeers.length === 1 ? '' : 's'}</span>}
    </span>
  );
}
