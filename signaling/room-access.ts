// Who may enter a room: its optional passcode (set by its creator, kept as a hash), the host's lock,
// the wrong-passcode limit per client address, and the resume tokens the host revoked by removing
// someone. Settings belong to the registry's room object, so a room that empties and is created
// again starts open, with its new creator's passcode.
import { AttemptLimiter } from './attempt-limiter';
import { ServerError } from './errors';
import { KeyedQueue } from './keyed-queue';
import { hashPasscode, passcodeMatches, type PasscodeHash } from './passcode';
import type { Room, RoomRegistry } from './rooms';

interface RoomSettings {
  passcode: PasscodeHash | null;
  locked: boolean;
}

export interface Admission {
  roomId: string;
  passcode?: string;
  /** The client's network address, for the wrong-passcode limit. */
  address: string;
}

const OPEN: RoomSettings = { passcode: null, locked: false };

export class RoomAccess {
  private settings = new WeakMap<Room, RoomSettings>();
  /** Admissions to one room run one at a time. */
  private admissions = new KeyedQueue();
  /** Removed peers' ids, until their resume tokens would have expired anyway. */
  private revoked = new Map<string, number>();

  constructor(
    private readonly rooms: RoomRegistry,
    readonly attempts = new AttemptLimiter(),
  ) {}

  /**
   * Lets a fresh join in: a new room takes the joiner's passcode (if any); an existing one must be
   * unlocked and, when it has a passcode, be given it. `enter` seats the joiner in the registry; it
   * runs right after the checks with no await between, and admissions to one room run one at a time.
   */
  admit(request: Admission, enter: () => Room): Promise<Room> {
    return this.admissions.run(request.roomId, async () => {
      // Awaiting a hash lets other work run: a resumed seat may rebuild the room meanwhile.
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = this.rooms.find(request.roomId);
        const newPasscode = before ? await this.check(before, request) : await this.hashFor(request);
        if (this.rooms.find(request.roomId) !== before) continue;
        if (before && this.of(before).locked) throw lockedError(request.roomId);
        const room = enter();
        if (!before) this.settings.set(room, { passcode: newPasscode, locked: false });
        return room;
      }
      throw new ServerError('INTERNAL', `room ${request.roomId} kept changing while joining; try again`);
    });
  }

  isLocked(roomId: string): boolean {
    const room = this.rooms.find(roomId);
    return room ? this.of(room).locked : false;
  }

  setLocked(room: Room, locked: boolean): void {
    this.settings.set(room, { ...this.of(room), locked });
  }

  /** Whether a resume token signed now should say the room was closed to outsiders. */
  isGuarded(roomId: string): boolean {
    const room = this.rooms.find(roomId);
    return !!room && (this.of(room).locked || this.of(room).passcode !== null);
  }

  /**
   * A seat rebuilt after a server restart: the new process never saw the room's passcode. When the
   * token says the room was guarded, a room this seat (re)creates starts locked instead of open.
   */
  restored(room: Room, guarded: boolean): void {
    if (guarded && !this.settings.has(room)) this.settings.set(room, { passcode: null, locked: true });
  }

  revoke(peerId: string, forMs: number, now = Date.now()): void {
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    this.revoked.set(peerId, now + forMs);
  }

  isRevoked(peerId: string, now = Date.now()): boolean {
    return (this.revoked.get(peerId) ?? 0) > now;
  }

  private of(room: Room): RoomSettings {
    return this.settings.get(room) ?? OPEN;
  }

  private async hashFor({ passcode }: Admission): Promise<PasscodeHash | null> {
    return passcode ? hashPasscode(passcode) : null;
  }

  /** Refuses a locked room, a missing or wrong passcode, and an address with too many wrong ones. */
  private async check(room: Room, { roomId, passcode, address }: Admission): Promise<null> {
    const { locked, passcode: stored } = this.of(room);
    if (locked) throw lockedError(roomId);
    if (!stored) return null;
    // Not a guess, so not counted: someone who followed a link without the passcode.
    if (!passcode) throw new ServerError('BAD_PASSCODE', `room ${roomId} has a passcode; ask the person who created it`);
    const waitMs = this.attempts.retryAfterMs(address);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ServerError('TOO_MANY_ATTEMPTS', `too many wrong passcodes from your address; try again in ${seconds} s`, seconds);
    }
    if (!(await passcodeMatches(passcode, stored))) {
      this.attempts.recordFailure(address);
      throw new ServerError('BAD_PASSCODE', `wrong passcode for room ${roomId}`);
    }
    return null;
  }
}

function lockedError(roomId: string): ServerError {
  return new ServerError('ROOM_LOCKED', `room ${roomId} is locked by its host: no new participants`);
}
