// Human messages for the protocol's own room-name, display-name and passcode rules (shared by lobby and room).
import { PASSCODE_MAX, PASSCODE_MIN, ROOM_ID_PATTERN, displayNameSchema } from '../../signaling/protocol';

export function roomIdProblem(room: string): string | null {
  if (!room) return 'Pick a room name; everyone who uses the same name meets in the same room.';
  if (room.length > 64) return 'Room names are at most 64 characters.';
  if (!ROOM_ID_PATTERN.test(room)) {
    return 'Use letters, digits, "-" or "_" only (no spaces), starting with a letter or digit, e.g. "team-standup".';
  }
  return null;
}

export function displayNameProblem(name: string): string | null {
  if (!name.trim()) return 'Enter the name others will see (1-40 characters).';
  const parsed = displayNameSchema.safeParse(name);
  return parsed.success ? null : 'Names are at most 40 characters.';
}

/** A passcode is optional; when given, the server's own length rule applies. */
export function passcodeProblem(passcode: string): string | null {
  if (!passcode) return null;
  if (passcode.length < PASSCODE_MIN || passcode.length > PASSCODE_MAX) {
    return `A passcode has ${PASSCODE_MIN} to ${PASSCODE_MAX} characters (or leave it empty for an open room).`;
  }
  return null;
}
