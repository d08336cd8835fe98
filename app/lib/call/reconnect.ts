// What the call does with its signaling connection after joining, written once for both modes:
//   connected → reconnecting (socket lost; Socket.IO retries with bounded, jittered backoff)
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

/** Socket.IO's own reconnection settings: bounded attempts, exponential backoff, jitter. */
export const RECONNECT_OPTIONS = {
  reconnection: true,
  /** About a minute of trying: 0.5, 1, 2, 4, then every 5 s (±50 %). */
  reconnectionAttempts: 15,
  reconnectionDelay: 500,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
} as const;
