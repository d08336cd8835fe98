// What every handler family needs: the Socket.IO server, the room registry, the SFU and settings.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { KeyedQueue } from './keyed-queue';
import type { ClientToServerEvents, ClusterNode, IceServer, ServerToClientEvents } from './protocol';
import type { RoomAccess } from './room-access';
import type { RoomRegistry } from './rooms';
import type { Seats } from './seats';
import type { SfuService } from './sfu-service';

export type SignalingServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SignalingContext {
  io: SignalingServer;
  rooms: RoomRegistry;
  /** Who may enter each room: passcodes, locks, wrong-passcode limits, removed seats. */
  access: RoomAccess;
  /** Null when SFU mode is disabled by configuration. */
  sfu: SfuService | null;
  logger: Logger;
  iceServersFor: (peerId: string) => IceServer[];
  iceTtlSeconds: number;
  /** Who holds each seat, and the seats kept through a disconnect's grace period. */
  seats: Seats;
  /** Signs resume tokens; kept across restarts (server/resume-secret.ts) so a restarted server can verify them. */
  resumeSecret: string;
  /** Auto rooms' topology decisions, one at a time per room (auto-topology.ts). */
  switches: KeyedQueue;
  /** This server process's random id, written into its resume tokens (tells a restart from a released seat). */
  bootId: string;
  /** This node's name when several server nodes share the rooms (REDIS_URL), else null. */
  nodeId: string | null;
  /** The cluster's live nodes as browsers reach them (only with nodeId). */
  liveNodes?: () => Promise<ClusterNode[]>;
}
