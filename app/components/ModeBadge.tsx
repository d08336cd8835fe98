// The visible mode badge with its explanation as a tooltip (hover or keyboard focus). An auto room
// shows where its media flows now ("Auto · SFU").
import type { Mode, RoomMode } from '../../signaling/protocol';
import { modeLabel, ROOM_MODE_INFO } from '../lib/mode-info';

/** `mode`: where media flows now, once in a call (an auto room's badge then names it too). */
export function ModeBadge({ roomMode, mode }: { roomMode: RoomMode; mode?: Mode }) {
  return (
    <span className="mode-badge-wrap">
      <span className="mode-badge" data-mode={mode ?? roomMode} data-room-mode={roomMode} data-testid="mode-badge" tabIndex={0} aria-describedby="mode-tip">
        {modeLabel(roomMode, mode)}
      </span>
      <span className="tooltip" role="tooltip" id="mode-tip">
        {ROOM_MODE_INFO[roomMode].explanation}
      </span>
    </span>
  );
}
