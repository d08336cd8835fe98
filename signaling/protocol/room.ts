// The room family's own shapes: the join request and reply, and ice:refresh's reply.
import { z } from 'zod';
import { displayNameSchema, mediaStateSchema, modeSchema, roomIdSchema, type IceServer, type Mode, type PeerInfo } from './common';

export const joinSchema = z.strictObject({
  roomId: roomIdSchema,
  name: displayNameSchema,
  mode: modeSchema,
  media: mediaStateSchema.optional(),
});

export interface JoinReply {
  selfId: string;
  mode: Mode;
  peers: PeerInfo[];
  iceServers: IceServer[];
  /** Seconds until the TURN credentials in iceServers expire; refresh with ice:refresh before. */
  iceTtlSeconds: number;
  /** Present in SFU rooms: what the router can receive and send (mediasoup RtpCapabilities). */
  routerRtpCapabilities?: unknown;
}

export interface IceRefreshReply {
  iceServers: IceServer[];
  iceTtlSeconds: number;
}
