// The SFU's rooms by id: creates a room's router on the least-loaded worker on first use (once,
// even under concurrent joins), closes it, and finds the rooms a dead worker took with it.
import type { Logger } from 'pino';
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';
import { MEDIA_CODECS } from './config';
import { Room } from './room';
import type { WorkerPool } from './worker-pool';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly pending = new Map<string, Promise<Room>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  values(): Room[] {
    return [...this.rooms.values()];
  }

  /** The open room with this id, creating its router if needed. */
  obtain(roomId: string): Promise<Room> {
    const existing = this.rooms.get(roomId);
    if (existing) return Promise.resolve(existing);
    let pending = this.pending.get(roomId);
    if (!pending) {
      pending = this.create(roomId).finally(() => this.pending.delete(roomId));
      this.pending.set(roomId, pending);
    }
    return pending;
  }

  close(room: Room): void {
    if (this.rooms.get(room.id) !== room) return;
    this.rooms.delete(room.id);
    room.close();
    this.pool.release(room.worker);
    this.logger.info({ roomId: room.id }, 'sfu room closed');
  }

  /** Forgets (and closes) every room that lived on `worker`; returns them with their peer ids. */
  dropWorker(worker: types.Worker): { room: Room; peerIds: string[] }[] {
    const dropped: { room: Room; peerIds: string[] }[] = [];
    for (const room of this.rooms.values()) {
      if (room.worker !== worker) continue;
      dropped.push({ room, peerIds: [...room.peers.keys()] });
    }
    for (const { room } of dropped) {
      this.rooms.delete(room.id);
      room.close();
    }
    return dropped;
  }

  closeAll(): void {
    for (const room of this.rooms.values()) room.close();
    this.rooms.clear();
  }

  private async create(roomId: string): Promise<Room> {
    const worker = this.pool.acquire();
    if (!worker) throw new ServerError('SFU_UNAVAILABLE', 'no mediasoup worker is running');
    let router: types.Router;
    try {
      router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    } catch (err) {
      this.pool.release(worker);
      throw err;
    }
    const room = new Room(roomId, worker, router);
    this.rooms.set(roomId, room);
    this.logger.info({ roomId, workerPid: worker.pid }, 'sfu room created');
    return room;
  }
}
