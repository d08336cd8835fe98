// The room registry: joins, leaves, caps per mode, and rooms locked to the mode they started in.
import { describe, expect, it } from 'vitest';
import { ServerError } from '../../../signaling/errors';
import { RoomRegistry } from '../../../signaling/rooms';

const peer = (id: string) => ({ id, name: id.toUpperCase(), media: { audio: true, video: true } });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ServerError ? err.code : 'not a ServerError';
  }
  return 'no error';
};

describe('RoomRegistry', () => {
  it('joins, lists and leaves; an empty room disappears', () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 });
    rooms.join('r', 'mesh', peer('a'));
    rooms.join('r', 'mesh', peer('b'));
    expect(rooms.roster('r').map((p) => p.id)).toEqual(['a', 'b']);
    expect(rooms.leave('a')).toMatchObject({ roomId: 'r', mode: 'mesh', remaining: [{ id: 'b' }] });
    expect(rooms.leave('a')).toBeNull();
    rooms.leave('b');
    expect(rooms.counts().mesh).toEqual({ rooms: 0, peers: 0 });
    // the room id is free again, in any mode
    rooms.join('r', 'sfu', peer('c'));
    expect(rooms.roomOf('c')).toEqual({ id: 'r', mode: 'sfu', topology: 'sfu' });
  });

  it('refuses a join in the other mode with MODE_MISMATCH', () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 });
    rooms.join('r', 'sfu', peer('a'));
    expect(codeOf(() => rooms.join('r', 'mesh', peer('b')))).toBe('MODE_MISMATCH');
    expect(rooms.roster('r')).toHaveLength(1);
  });

  it('caps each mode separately', () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 2, sfuMaxPeers: 3 });
    rooms.join('m', 'mesh', peer('a'));
    rooms.join('m', 'mesh', peer('b'));
    expect(codeOf(() => rooms.join('m', 'mesh', peer('c')))).toBe('ROOM_FULL');
    for (const id of ['d', 'e', 'f']) rooms.join('s', 'sfu', peer(id));
    expect(codeOf(() => rooms.join('s', 'sfu', peer('g')))).toBe('ROOM_FULL');
    expect(rooms.counts()).toEqual({ mesh: { rooms: 1, peers: 2 }, sfu: { rooms: 1, peers: 3 } });
  });

  it('refuses a second room for one peer and unknown peers', () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 });
    rooms.join('r1', 'mesh', peer('a'));
    expect(codeOf(() => rooms.join('r2', 'mesh', peer('a')))).toBe('ALREADY_IN_ROOM');
    expect(codeOf(() => rooms.requireRoomOf('zz'))).toBe('NOT_IN_ROOM');
    expect(codeOf(() => rooms.setMedia('zz', { audio: false, video: false }))).toBe('NOT_IN_ROOM');
  });

  it('records media state and hands out copies', () => {
    const rooms = new RoomRegistry({ meshMaxPeers: 6, sfuMaxPeers: 16 });
    rooms.join('r', 'mesh', peer('a'));
    const roster = rooms.setMedia('a', { audio: false, video: true });
    expect(roster[0].media).toEqual({ audio: false, video: true });
    roster[0].media.audio = true;
    expect(rooms.roster('r')[0].media.audio).toBe(false);
  });
});
