// One encoded media frame in, one out: AES-GCM over the frame's payload, leaving in clear the few
// bytes the SFU must read to forward it (VP8's payload header: 10 bytes on key frames, 3 on delta
// frames, which tell it a key frame when it switches simulcast layers; Opus's first byte). Used in
// the E2EE worker and, being plain WebCrypto, testable in Node.
//
// Frame on the wire: clear header | ciphertext with its 16-byte tag | 12-byte IV | 1-byte key id.

export const IV_BYTES = 12;
const TAG_BYTES = 16;
const TRAILER_BYTES = IV_BYTES + 1;

/** What stays readable for the SFU: VP8 key frames 10 bytes, other video frames 3, audio 1. */
export function clearBytes(kind: 'audio' | 'video', frameType: string | undefined): number {
  if (kind === 'audio') return 1;
  return frameType === 'key' ? 10 : 3;
}

export async function encryptFrame(frame: ArrayBuffer, clear: number, key: CryptoKey, keyId: number): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(frame);
  const header = bytes.subarray(0, Math.min(clear, bytes.length));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: header }, key, bytes.subarray(header.length)));
  const out = new Uint8Array(header.length + sealed.length + TRAILER_BYTES);
  out.set(header, 0);
  out.set(sealed, header.length);
  out.set(iv, header.length + sealed.length);
  out[out.length - 1] = keyId;
  return out.buffer;
}

/**
 * The frame as it was encrypted, or null when it cannot be: too short, a key id we have no key
 * for, or a tag that does not verify (wrong key, tampered, or never encrypted at all).
 */
export async function decryptFrame(frame: ArrayBuffer, clear: number, keyFor: (keyId: number) => CryptoKey | undefined): Promise<ArrayBuffer | null> {
  const bytes = new Uint8Array(frame);
  if (bytes.length < clear + TAG_BYTES + TRAILER_BYTES) return null;
  const key = keyFor(bytes[bytes.length - 1]);
  if (!key) return null;
  const header = bytes.subarray(0, clear);
  const iv = bytes.subarray(bytes.length - TRAILER_BYTES, bytes.length - 1);
  try {
    const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: header }, key, bytes.subarray(clear, bytes.length - TRAILER_BYTES)));
    const out = new Uint8Array(clear + plain.length);
    out.set(header, 0);
    out.set(plain, clear);
    return out.buffer;
  } catch {
    return null;
  }
}
