// The mesh family: offers, answers, ICE candidates and ICE restart requests relayed verbatim to one
// peer of the room.
import { z } from 'zod';
import { peerIdSchema } from './common';

const sdpSchema = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(60_000).optional(),
});
const iceCandidateSchema = z.strictObject({
  candidate: z.string().max(2_000),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1_000).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/**
 * What a client sends `to` one peer: a description, a candidate (null = end of candidates), or a
 * request that the peer restart ICE (the polite side's way to repair a failed link: only the
 * impolite side offers restarts, so that two restarts never collide).
 */
export const meshSignalSchema = z.union([
  z.strictObject({ to: peerIdSchema, description: sdpSchema }),
  z.strictObject({ to: peerIdSchema, candidate: iceCandidateSchema.nullable() }),
  z.strictObject({ to: peerIdSchema, restartIce: z.literal(true) }),
]);
export type MeshSignalRequest = z.infer<typeof meshSignalSchema>;

/** What the target receives: the same body, with the sender stamped by the server. */
export type MeshSignal =
  | { from: string; description: z.infer<typeof sdpSchema> }
  | { from: string; candidate: z.infer<typeof iceCandidateSchema> | null }
  | { from: string; restartIce: true };
