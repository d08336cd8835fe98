// What the call does with its signaling connection after joining, written once for both modes:
//   connected → reconnecting (socket lost; retried with bounded, jittered backoff)
//             → resuming (our seat's resume token offered back) → connected (same peer id)
//             → rejoining (seat gone: grace period over, or the server restarted) → connected
//   and failed once retries run out or a rejoin is refused. Pure: the engine feeds it events.

export type SignalingPhase = 'connected' | 'reconnecting' | 'resuming' | 'rejoining' | 'failed';

export type ReconnectEvent =
  | { type: 'lost' }
  | { type: 'reconnected' }
  | { type: 'resumed' }
  /** The server no longer holds our seat (token expired, unknown after a restart). */
  | { type: 'resume-refused' }
  | { type: 'rejoined' }
  | { type: 'gave-up' };

const TRANSITIONS: Record<SignalingPhase, Partial<Record<ReconnectEvent['type'], SignalingPhase>>> = {
  connected: { lost: 'reconnecting' },
  reconnecting: { reconnected: 'resuming', 'gave-up': 'failed' },
  resuming: { resumed: 'connected', 'resume-refused': 'rejoining', lost: 'reconnecting', 'gave-up': 'failed' },
  rejoining: { rejoined: 'connected', lost: 'reconnecting', 'gave-up': 'failed' },
  failed: {},
};

/** The next phase, or the same one when the event means nothing there (a late or duplicate event). */
export function nextPhase(phase: SignalingPhase, event: ReconnectEvent): SignalingPhase {
  return TRANSITIONS[phase][event.type] ?? phase;
}

/**
 * Retries are ours, not Socket.IO's: it does not retry after the server closed the socket or its
 * middleware refused one (a restart, a drill). Bounded: about a minute of trying in all.
 */
export const MAX_RECONNECT_ATTEMPTS = 20;

/** The longest wait between two tries: 3 s, plus a quarter of jitter. */
export const MAX_RECONNECT_DELAY_MS = 3750;

/**
 * Exponential backoff from 0.5 s up to 3 s, jittered by ±25 % so a roomful does not retry in step.
 * Kept short because the seat is held only for the grace period (RESUME_GRACE_SEC, 20 s) counted
 * from the drop: after an outage of 15 s, the next try must come well within the 5 s left, or the
 * participant loses its seat to the timer although the server is back.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + 0.5 * random()));
}
