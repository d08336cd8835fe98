// Human messages for the protocol's own room-name and display-name rules (shared by lobby and room).
import { ROOM_ID_PATTERN, displayNameSchema } from '../../signaling/protocol';

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
