// Attaches the signaling service to a Socket.IO server: guard first, then each handler family.
import type { SignalingContext } from './context';
import { registerE2eeHandlers } from './e2ee-handlers';
import { installGuard, type GuardOptions } from './guard';
import { registerHostHandlers } from './host-handlers';
import { registerMeshHandlers } from './mesh-handlers';
import { registerRoomHandlers } from './room-handlers';
import { forwardSfuEvents, registerSfuHandlers } from './sfu-handlers';
import { registerStatsHandlers } from './stats-handlers';

export function attachSignaling(ctx: SignalingContext, guard: Omit<GuardOptions, 'logger'>): void {
  if (ctx.sfu) forwardSfuEvents(ctx, ctx.sfu);
  ctx.io.on('connection', (socket) => {
    installGuard(socket, { ...guard, logger: ctx.logger });
    registerRoomHandlers(ctx, socket);
    registerHostHandlers(ctx, socket);
    registerMeshHandlers(ctx, socket);
    registerE2eeHandlers(ctx, socket);
    registerSfuHandlers(ctx, socket);
    registerStatsHandlers(ctx, socket);
  });
}
