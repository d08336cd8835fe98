// A page that goes away says goodbye twice: over its socket, and with a beacon (POST /api/leave)
// that the browser delivers after the page is gone, for when the socket closed before its goodbye
// left. The beacon carries the seat's resume token, which proves the seat is the sender's to give
// up; the seat then goes at once instead of being held through the reconnect grace period.
import type { SignalingContext } from './context';
import { ServerError } from './errors';
import { leaveBeaconSchema } from './http';
import { leaveRoom } from './room-handlers';
import { verifyResumeToken } from './resume-token';

/** Frees the seat the token names; throws BAD_REQUEST, RESUME_REFUSED or NOT_IN_ROOM saying why not. */
export async function leaveWithToken(ctx: SignalingContext, body: unknown): Promise<{ peerId: string }> {
  const parsed = leaveBeaconSchema.safeParse(body);
  if (!parsed.success) throw new ServerError('BAD_REQUEST', `a leave beacon is { roomId, token }: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
  const { roomId, token } = parsed.data;
  const { peerId } = verifyResumeToken(ctx.resumeSecret, token, roomId);
  if ((await ctx.rooms.roomOf(peerId))?.id !== roomId) throw new ServerError('NOT_IN_ROOM', `peer ${peerId} has no seat in room ${roomId} (already gone)`);
  await leaveRoom(ctx, peerId);
  // Its socket, if still open, is the page that left: close it so it cannot act for the seat (the
  // seat is already released, so its disconnect holds nothing).
  ctx.io.in(peerId).disconnectSockets(true);
  ctx.logger.info({ peerId, roomId }, 'peer left by beacon');
  return { peerId };
}
