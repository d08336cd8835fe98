// The one builder of room-page URLs (kit CLIs, E2E fixtures, fixture capture): the QA contract's
// parameters (README "QA contract"), with the room id checked against the protocol's own pattern.
import { MODES, ROOM_ID_PATTERN, type Mode, type RoomMode } from '../../../../signaling/protocol';

export { MODES, type Mode, type RoomMode };

export interface RoomUrlOptions {
  mode: RoomMode;
  /** Auto rooms: participants above this many use the SFU (the room's creator sets it). */
  sfuAbove?: number;
  /** Display name; the page refuses to autojoin without one. */
  name?: string;
  /** Join at once with the default camera and mic (no pre-join preview). */
  autojoin?: boolean;
  /** Force TURN (iceTransportPolicy "relay") in either mode. */
  relay?: boolean;
  /** SFU rooms: end-to-end encrypted media. */
  e2ee?: boolean;
}

/** The room id unchanged, or a RangeError saying what the server would refuse. */
export function checkRoomId(room: string): string {
  if (!ROOM_ID_PATTERN.test(room)) {
    throw new RangeError(`room id "${room}" is not valid: 1-64 letters, digits, "-" or "_", starting with a letter or digit`);
  }
  return room;
}

/** `${base}/room/<room>?mode=…&name=…&autojoin=1&relay=1&e2ee=1&sfuAbove=N`; base "" gives a path (Playwright's baseURL). */
export function roomUrl(base: string, room: string, o: RoomUrlOptions): string {
  checkRoomId(room);
  const query = [`mode=${o.mode}`];
  if (o.name !== undefined) query.push(`name=${encodeURIComponent(o.name)}`);
  if (o.autojoin) query.push('autojoin=1');
  if (o.relay) query.push('relay=1');
  if (o.e2ee) query.push('e2ee=1');
  if (o.sfuAbove !== undefined) query.push(`sfuAbove=${o.sfuAbove}`);
  return `${base.replace(/\/+$/, '')}/room/${encodeURIComponent(room)}?${query.join('&')}`;
}
