// The room family's own shapes: the join request and reply, and ice:refresh's reply.
import { z } from 'zod';
import { sfuAboveSchema, type TopologyChange } from './auto';
import { displayNameSchema, mediaStateSchema, passcodeSchema, roomIdSchema, roomModeSchema, type ClusterNode, type IceServer, type PeerInfo, type RoomMode } from './common';

export const joinSchema = z.strictObject({
  roomId: roomIdSchema,
  name: displayNameSchema,
  mode: roomModeSchema,
  media: mediaStateSchema.optional(),
  /** Auto rooms: the creator's threshold (participants above it run on the SFU); later joiners' is ignored. */
  sfuAbove: sfuAboveSchema.optional(),
  /** SFU rooms: end-to-end encrypted media; the creator's choice, which every joiner must match. */
  e2ee: z.boolean().optional(),
  /** Required when the room has one; the creator's (first joiner's) sets the room's passcode. */
  passcode: passcodeSchema.optional(),
});

/** Takes a seat back after the socket dropped: the token from the last join or resume reply. */
export const resumeSchema = z.strictObject({
  roomId: roomIdSchema,
  token: z.string().min(1).max(1024),
  /** Our microphone/camera state now, for a seat the server has to rebuild (it restarted). */
  media: mediaStateSchema.optional(),
});

export interface JoinReply {
  selfId: string;
  /** Offer it back with `resume` after a reconnect to keep this peer id (signed, room-bound, expiring). */
  resumeToken: string;
  mode: RoomMode;
  /** Auto rooms: the topology to start on and why (later changes arrive as room:topology). */
  auto?: TopologyChange;
  peers: PeerInfo[];
  iceServers: IceServer[];
  /** Seconds until the TURN credentials in iceServers expire; refresh with ice:refresh before. */
  iceTtlSeconds: number;
  /** The host locked the room against new participants. */
  locked: boolean;
  /** True in end-to-end encrypted rooms (exchange keys with e2ee:key); absent otherwise. */
  e2ee?: boolean;
  /** Present in SFU rooms and auto rooms on the SFU: what the router can receive and send (mediasoup RtpCapabilities). */
  routerRtpCapabilities?: unknown;
  /**
   * Resume only: the server restarted and rebuilt this (mesh) seat from its token. The others are
   * still on their way back, so keep your connections to them for holdMs before believing a
   * roster that lacks them.
   */
  restored?: { holdMs: number };
  /**
   * When several server nodes share the rooms: the node this connection goes through, and every
   * live node (this one first), where the browser reconnects when its node dies.
   */
  cluster?: { node: string; nodes: ClusterNode[] };
}

export interface IceRefreshReply {
  iceServers: IceServer[];
  iceTtlSeconds: number;
}
