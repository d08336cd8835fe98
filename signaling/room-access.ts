// Who may enter a room: its optional passcode (set by its creator, kept as a hash in the room's
// record), the host's lock, the wrong-passcode limit per client address, and the resume tokens the
// host revoked by removing someone. Settings live in the room's record, so a room that empties and
// is created again starts open, with its new creator's passcode, on every node alike.
import { AttemptLimiter } from './attempt-limiter';
import { ServerError } from './errors';
import { KeyedQueue } from './keyed-queue';
import { hashPasscode, passcodeMatches } from './passcode';
import type { Room, RoomRegistry } from './rooms';
import type { StoredPasscode } from './room-store';

export interface Admission {
  roomId: string;
  passcode?: string;
  /** The client's network address, for the wrong-passcode limit. */
  address: string;
}

/** The room changed between the passcode check and the seat: check again. */
class RoomChanged extends Error {}

export const isLocked = (room: Room | null): boolean => !!room?.access.locked;

/** Whether a resume token signed now should say the room was closed to outsiders. */
export const isGuarded = (room: Room | null): boolean => !!room && (room.access.locked || room.access.passcode !== null);

export class RoomAccess {
  /** Admissions to one room run one at a time on this node (other nodes are caught by the incarnation check). */
  private admissions = new KeyedQueue();

  constructor(
    private readonly rooms: RoomRegistry,
    readonly attempts = new AttemptLimiter(),
  ) {}

  /**
   * Lets a fresh join in: a new room takes the joiner's passcode (if any); an existing one must be
   * unlocked and, when it has a passcode, be given it. `enter` seats the joiner with the admission
   * check it is given, which runs inside the room's atomic update: if the room changed since the
   * (slow, hashed) passcode check, the check runs again.
   */
  admit(request: Admission, enter: (admit: (room: Room | null) => Room['access'] | void) => Promise<Room>): Promise<Room> {
    return this.admissions.run(request.roomId, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = await this.rooms.find(request.roomId);
        const passcode = before ? await this.check(before, request) : await this.hashFor(request);
        try {
          return await enter((now) => {
            if ((now?.incarnation ?? null) !== (before?.incarnation ?? null)) throw new RoomChanged();
            if (now?.access.locked) throw lockedError(request.roomId);
            return now ? undefined : { passcode, locked: false };
          });
        } catch (err) {
          if (!(err instanceof RoomChanged)) throw err;
        }
      }
      throw new ServerError('INTERNAL', `room ${request.roomId} kept changing while joining; try again`);
    });
  }

  async setLocked(roomId: string, locked: boolean): Promise<void> {
    await this.rooms.store.update(roomId, (room) => {
      if (room) room.access.locked = locked;
      return { room, result: undefined };
    });
  }

  revoke(peerId: string, forMs: number): Promise<void> {
    return this.rooms.store.revoke(peerId, forMs);
  }

  isRevoked(peerId: string): Promise<boolean> {
    return this.rooms.store.isRevoked(peerId);
  }

  private async hashFor({ passcode }: Admission): Promise<StoredPasscode | null> {
    if (!passcode) return null;
    const { salt, hash } = await hashPasscode(passcode);
    return { salt: salt.toString('base64'), hash: hash.toString('base64') };
  }

  /** Refuses a locked room, a missing or wrong passcode, and an address with too many wrong ones. */
  private async check(room: Room, { roomId, passcode, address }: Admission): Promise<null> {
    const { locked, passcode: stored } = room.access;
    if (locked) throw lockedError(roomId);
    if (!stored) return null;
    // Not a guess, so not counted: someone who followed a link without the passcode.
    if (!passcode) throw new ServerError('BAD_PASSCODE', `room ${roomId} has a passcode; ask the person who created it`);
    const waitMs = this.attempts.retryAfterMs(address);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ServerError('TOO_MANY_ATTEMPTS', `too many wrong passcodes from your address; try again in ${seconds} s`, seconds);
    }
    if (!(await passcodeMatches(passcode, { salt: Buffer.from(stored.salt, 'base64'), hash: Buffer.from(stored.hash, 'base64') }))) {
      this.attempts.recordFailure(address);
      throw new ServerError('BAD_PASSCODE', `wrong passcode for room ${roomId}`);
    }
    return null;
  }
}

function lockedError(roomId: string): ServerError {
  return new ServerError('ROOM_LOCKED', `room ${roomId} is locked by its host: no new participants`);
}
