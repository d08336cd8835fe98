// The wire schemas accept what clients legitimately send and reject everything else with a reason.
import { describe, expect, it } from 'vitest';
import { joinSchema, meshSignalSchema, sfuProduceSchema, mediaStateSchema } from '../../../signaling/protocol';

describe('joinSchema', () => {
  it('accepts a valid join', () => {
    expect(joinSchema.parse({ roomId: 'room-1_a', name: ' Ada ', mode: 'mesh' })).toEqual({
      roomId: 'room-1_a',
      name: 'Ada',
      mode: 'mesh',
    });
  });
  it.each([
    ['empty room', { roomId: '', name: 'a', mode: 'mesh' }],
    ['room with slash', { roomId: 'a/b', name: 'a', mode: 'mesh' }],
    ['room starting with dash', { roomId: '-a', name: 'a', mode: 'mesh' }],
    ['room too long', { roomId: 'a'.repeat(65), name: 'a', mode: 'mesh' }],
    ['blank name', { roomId: 'r', name: '   ', mode: 'mesh' }],
    ['name too long', { roomId: 'r', name: 'x'.repeat(41), mode: 'mesh' }],
    ['unknown mode', { roomId: 'r', name: 'a', mode: 'p2p' }],
    ['extra field', { roomId: 'r', name: 'a', mode: 'sfu', admin: true }],
    ['not an object', 'join me'],
  ])('rejects %s', (_label, payload) => {
    expect(joinSchema.safeParse(payload).success).toBe(false);
  });
});

describe('meshSignalSchema', () => {
  it('accepts an offer and a candidate and an end-of-candidates null', () => {
    expect(meshSignalSchema.safeParse({ to: 'p', description: { type: 'offer', sdp: 'v=0' } }).success).toBe(true);
    expect(
      meshSignalSchema.safeParse({ to: 'p', candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0', sdpMLineIndex: 0 } })
        .success,
    ).toBe(true);
    expect(meshSignalSchema.safeParse({ to: 'p', candidate: null }).success).toBe(true);
  });
  it('rejects a claimed sender, a bad sdp type, and a missing target', () => {
    expect(meshSignalSchema.safeParse({ to: 'p', from: 'x', description: { type: 'offer', sdp: '' } }).success).toBe(false);
    expect(meshSignalSchema.safeParse({ to: 'p', description: { type: 'hello', sdp: '' } }).success).toBe(false);
    expect(meshSignalSchema.safeParse({ description: { type: 'offer', sdp: '' } }).success).toBe(false);
  });
  it('accepts an ICE restart request as exactly { to, restartIce: true }', () => {
    expect(meshSignalSchema.safeParse({ to: 'p', restartIce: true }).success).toBe(true);
    expect(meshSignalSchema.safeParse({ to: 'p', restartIce: false }).success).toBe(false);
    expect(meshSignalSchema.safeParse({ to: 'p', restartIce: 'yes' }).success).toBe(false);
    expect(meshSignalSchema.safeParse({ to: 'p', restartIce: true, candidate: null }).success).toBe(false);
    expect(meshSignalSchema.safeParse({ restartIce: true }).success).toBe(false);
  });
});

describe('sfuProduceSchema and mediaStateSchema', () => {
  it('requires at least one codec', () => {
    expect(sfuProduceSchema.safeParse({ transportId: 't', kind: 'video', rtpParameters: { codecs: [] } }).success).toBe(false);
    expect(
      sfuProduceSchema.safeParse({ transportId: 't', kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8' }] } }).success,
    ).toBe(true);
  });
  it('media state needs both booleans', () => {
    expect(mediaStateSchema.safeParse({ audio: true }).success).toBe(false);
    expect(mediaStateSchema.safeParse({ audio: true, video: 'yes' }).success).toBe(false);
  });
});
