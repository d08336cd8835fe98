// What every handler family needs: the Socket.IO server, the room registry, the SFU and settings.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, IceServer, ServerToClientEvents } from './protocol';
import type { RoomRegistry } from './rooms';
import type { SfuService } from './sfu-service';

export type SignalingServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SignalingContext {
  io: SignalingServer;
  rooms: RoomRegistry;
  /** Null when SFU mode is disabled by configuration. */
  sfu: SfuService | null;
  logger: Logger;
  iceServersFor: (peerId: string) => IceServer[];
  iceTtlSeconds: number;
}
