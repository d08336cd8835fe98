// The host family: what the room's host (its longest-present participant) may do to the room.
import { z } from 'zod';
import { peerIdSchema } from './common';

/** Removes one participant: its call ends, its media is closed, and it cannot resume its seat. */
export const hostRemoveSchema = z.strictObject({ peerId: peerIdSchema });
/** Locks (no new participants) or unlocks the room; members keep their seats either way. */
export const hostLockSchema = z.strictObject({ locked: z.boolean() });
