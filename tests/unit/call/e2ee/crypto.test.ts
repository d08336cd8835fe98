// The E2EE building blocks on Node's own WebCrypto (the same API the browser worker uses): frames
// encrypt with their header left readable and decrypt only with the right key; two participants
// derive the same wrapping key without sending it; a wrapped media key opens only for its
// addressee; the safety code depends on every public key and on nothing else.
import { describe, expect, it } from 'vitest';
import { clearBytes, decryptFrame, encryptFrame } from '../../../../app/lib/call/e2ee/frame-crypto';
import { newIdentity, newMediaKey, safetyCode, unwrapMediaKey, wrapMediaKey, wrappingKey } from '../../../../app/lib/call/e2ee/keys';

const frame = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256).buffer;

describe('frame encryption', () => {
  it('keeps the SFU-readable header in clear and round-trips with the right key', async () => {
    const { key } = await newMediaKey();
    const clear = clearBytes('video', 'key');
    expect(clear).toBe(10);
    const original = frame(1200);
    const sealed = await encryptFrame(original, clear, key, 7);
    const bytes = new Uint8Array(sealed);
    expect(bytes.length).toBe(1200 + 16 + 12 + 1);
    expect([...bytes.subarray(0, 10)]).toEqual([...new Uint8Array(original).subarray(0, 10)]);
    expect([...bytes.subarray(10, 40)]).not.toEqual([...new Uint8Array(original).subarray(10, 40)]);
    expect(bytes.at(-1)).toBe(7);
    const opened = await decryptFrame(sealed, clear, (id) => (id === 7 ? key : undefined));
    expect(opened && [...new Uint8Array(opened)]).toEqual([...new Uint8Array(original)]);
  });

  it('refuses a wrong key, an unknown key id, a tampered header, a short frame and a frame never encrypted', async () => {
    const { key } = await newMediaKey();
    const other = (await newMediaKey()).key;
    const sealed = await encryptFrame(frame(300), 3, key, 1);
    expect(await decryptFrame(sealed, 3, () => other)).toBeNull();
    expect(await decryptFrame(sealed, 3, (id) => (id === 2 ? key : undefined))).toBeNull();
    const tampered = new Uint8Array(sealed.slice(0));
    tampered[0] ^= 1;
    expect(await decryptFrame(tampered.buffer, 3, () => key)).toBeNull();
    expect(await decryptFrame(frame(20), 3, () => key)).toBeNull();
    expect(await decryptFrame(frame(300), 3, () => key)).toBeNull();
  });

  it('leaves one byte of audio and three of a delta frame in clear', () => {
    expect(clearBytes('audio', undefined)).toBe(1);
    expect(clearBytes('video', 'delta')).toBe(3);
  });
});

describe('key agreement', () => {
  it('both sides derive the same wrapping key, and a media key wrapped for one opens only for it', async () => {
    const [alice, bob, eve] = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
    const aliceSide = await wrappingKey(alice.keys, bob.publicKey, 'room-1');
    const bobSide = await wrappingKey(bob.keys, alice.publicKey, 'room-1');
    const media = await newMediaKey();
    const { iv, wrapped } = await wrapMediaKey(media.raw, aliceSide);
    const opened = await unwrapMediaKey(iv, wrapped, bobSide);
    expect(opened).not.toBeNull();
    // Bob's copy decrypts what Alice's key encrypted.
    const sealed = await encryptFrame(frame(100), 1, media.key, 0);
    expect(await decryptFrame(sealed, 1, () => opened!)).not.toBeNull();
    // Eve (or the server) with her own pair, or the same pair in another room, cannot unwrap it.
    expect(await unwrapMediaKey(iv, wrapped, await wrappingKey(eve.keys, alice.publicKey, 'room-1'))).toBeNull();
    expect(await unwrapMediaKey(iv, wrapped, await wrappingKey(bob.keys, alice.publicKey, 'room-2'))).toBeNull();
  });

  it('gives everyone the same safety code for the same keys, and another one when any key is swapped', async () => {
    const [a, b, c] = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
    const code = await safetyCode({ a: a.publicKey, b: b.publicKey });
    expect(code).toMatch(/^\d{4} \d{4}$/);
    expect(await safetyCode({ b: b.publicKey, a: a.publicKey })).toBe(code);
    expect(await safetyCode({ a: a.publicKey, b: c.publicKey })).not.toBe(code);
  });
});
