// "What can the server see?" for each kind of call.
import { describe, expect, it } from 'vitest';
import type { E2eeState } from '../../../app/lib/call/e2ee/session';
import { serverView } from '../../../app/lib/stats/server-view';

const e2ee: E2eeState = { safetyCode: '1234 5678', keyedPeers: ['b'], keyId: 2, encryptedFrames: 1500, unsentFrames: 0, overheadBytes: 43_500, peers: {}, encryptMs: 30, decryptMs: 60 };
const reads = (rows: ReturnType<typeof serverView>) => rows.map((r) => `${r.server}:${r.reads}`);

describe('serverView', () => {
  it('mesh: signaling sees metadata, no server handles media', () => {
    expect(reads(serverView({ mode: 'mesh', e2ee: null, relayed: 0, connections: 2, peers: 2 }))).toEqual(['signaling:metadata', 'none:metadata']);
  });
  it('SFU: the SFU reads the media, unless it is end-to-end encrypted', () => {
    expect(reads(serverView({ mode: 'sfu', e2ee: null, relayed: 0, connections: 2, peers: 2 }))).toEqual(['signaling:metadata', 'sfu:content']);
    const rows = serverView({ mode: 'sfu', e2ee, relayed: 0, connections: 2, peers: 2 });
    expect(reads(rows)).toEqual(['signaling:metadata', 'sfu:metadata']);
    expect(rows[1].text).toContain('1,500 frames');
    expect(rows[1].text).toContain('audio level');
  });
  it('a TURN relay adds a row that sees encrypted packets only', () => {
    const rows = serverView({ mode: 'mesh', e2ee: null, relayed: 1, connections: 2, peers: 2 });
    expect(reads(rows)).toContain('turn:metadata');
    expect(rows.at(-1)!.text).toMatch(/^1 of 2 connections/);
  });
});
