// Live call tabs of this browser tell the presentation view (another tab, on the projector) each new
// stats point over a same-origin BroadcastChannel: no server involved, nothing leaves the machine.
import { MODES, type Mode } from '../../../signaling/protocol';
import type { SessionPoint } from './session';

const CHANNEL = 'mesh-vs-sfu/present';

export interface LivePoint {
  /** One id per call (room and mode): every tab of that call adds its participant's points. */
  source: string;
  label: string;
  mode: Mode;
  point: SessionPoint;
}

export interface LivePublisher {
  post(point: SessionPoint): void;
  close(): void;
}

/** A sender for one participant of a call; null where BroadcastChannel does not exist. */
export function livePublisher(roomId: string, mode: Mode, who: string): LivePublisher | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const channel = new BroadcastChannel(CHANNEL);
  const source = `${roomId}|${mode}`;
  return {
    post: (point) => channel.postMessage({ source, label: roomId, mode, point: { ...point, who } } satisfies LivePoint),
    close: () => channel.close(),
  };
}

export function subscribeLive(listener: (message: LivePoint) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = ({ data }) => {
    const m = data as Partial<LivePoint>;
    if (typeof m.source === 'string' && typeof m.label === 'string' && m.point && MODES.includes(m.mode as Mode)) {
      listener(m as LivePoint);
    }
  };
  return () => channel.close();
}
