// E2eeSession between participants wired through a fake relay (the server's e2ee:key, stamping
// the sender). Mocked: the worker (no RTCRtpScriptTransform in Node); what the session posts to
// it is recorded and used to encrypt and decrypt real frames.
import { afterEach, describe, expect, it } from 'vitest';
import type { ToWorker } from '../../../../app/lib/call/e2ee/e2ee.worker';
import { decryptFrame, encryptFrame } from '../../../../app/lib/call/e2ee/frame-crypto';
import { E2eeSession } from '../../../../app/lib/call/e2ee/session';
import type { E2eeKeyRequest } from '../../../../signaling/protocol';

interface Party {
  id: string;
  session: E2eeSession;
  posted: ToWorker[];
  sent: E2eeKeyRequest[];
}

const parties = new Map<string, Party>();
afterEach(() => {
  for (const p of parties.values()) p.session.close();
  parties.clear();
});

function party(id: string): Party {
  const posted: ToWorker[] = [];
  const sent: E2eeKeyRequest[] = [];
  const session = new E2eeSession(
    {
      roomId: 'room-1',
      selfId: () => id,
      send: async (message) => {
        sent.push(message);
        const { to, ...body } = message;
        void parties.get(to)?.session.receive({ ...body, from: id });
      },
    },
    () => ({ postMessage: (m: ToWorker) => posted.push(m), terminate: () => undefined, onmessage: null }),
  );
  const p = { id, session, posted, sent };
  parties.set(id, p);
  return p;
}

const settle = () => new Promise((r) => setTimeout(r, 50));
const sendKey = (p: Party) => p.posted.filter((m) => m.type === 'send-key').at(-1) as Extract<ToWorker, { type: 'send-key' }>;
const peerKey = (p: Party, from: string, keyId: number) =>
  (p.posted.find((m) => m.type === 'peer-key' && m.peerId === from && m.keyId === keyId) as Extract<ToWorker, { type: 'peer-key' }> | undefined)?.key;

async function canRead(reader: Party, writer: Party): Promise<boolean> {
  const { key, keyId } = sendKey(writer);
  const sealed = await encryptFrame(new Uint8Array(200).fill(9).buffer, 3, key, keyId);
  return (await decryptFrame(sealed, 3, (id) => peerKey(reader, writer.id, id))) !== null;
}

describe('E2eeSession', () => {
  it('a greeting is enough for two participants to read each other, with the same safety code', async () => {
    const a = party('a');
    const b = party('b');
    await a.session.greet(['b']);
    await settle();
    expect(await canRead(a, b)).toBe(true);
    expect(await canRead(b, a)).toBe(true);
    expect(a.session.getState().keyedPeers).toEqual(['b']);
    expect(a.session.getState().safetyCode).toMatch(/^\d{4} \d{4}$/);
    expect(a.session.getState().safetyCode).toBe(b.session.getState().safetyCode);
    // The exchange ends: nobody keeps sending keys back and forth.
    const count = a.sent.length + b.sent.length;
    await settle();
    expect(a.sent.length + b.sent.length).toBe(count);
    // What crossed the server: public keys and wrapped keys, never a raw media key.
    const keyed = [...a.sent, ...b.sent].filter((m) => m.mediaKey);
    expect(keyed).toHaveLength(2);
    for (const m of keyed) expect(Object.keys(m.mediaKey!).sort()).toEqual(['iv', 'keyId', 'wrapped']);
  });

  it('replaces our media key when someone leaves, so the one who left cannot read what follows', async () => {
    const a = party('a');
    const b = party('b');
    const c = party('c');
    await a.session.greet(['b', 'c']);
    await b.session.greet(['c']);
    await settle();
    expect(await canRead(c, a)).toBe(true);
    // c leaves: a and b rotate; the new key reaches b, never c.
    a.session.peersLeft(['c']);
    await new Promise((r) => setTimeout(r, 1700));
    expect(sendKey(a).keyId).toBe(1);
    expect(a.session.getState().keyId).toBe(1);
    expect(await canRead(b, a)).toBe(true);
    expect(await canRead(c, a)).toBe(false);
    expect(a.sent.filter((m) => m.to === 'c' && m.mediaKey?.keyId === 1)).toEqual([]);
  });

  it('ignores a media key it cannot unwrap (not wrapped for it)', async () => {
    const a = party('a');
    const b = party('b');
    await a.session.greet(['b']);
    await settle();
    const forged = b.sent.find((m) => m.mediaKey)!;
    await a.session.receive({ from: 'b', publicKey: forged.publicKey, mediaKey: { ...forged.mediaKey!, keyId: 9, wrapped: forged.mediaKey!.wrapped.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) } });
    expect(peerKey(a, 'b', 9)).toBeUndefined();
  });
});
