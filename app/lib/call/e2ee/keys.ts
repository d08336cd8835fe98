// E2EE key agreement, all WebCrypto: each participant's ECDH P-256 pair, a wrapping key per pair of
// participants (ECDH → HKDF-SHA-256, bound to the room), media keys wrapped with it, and the safety
// code people compare aloud to catch a server that hands out keys of its own.

const HKDF_INFO = new TextEncoder().encode('mesh-vs-sfu e2ee media key wrapping v1');

export function toBase64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Our pair for this call; the private half cannot be exported. */
export async function newIdentity(): Promise<{ keys: CryptoKeyPair; publicKey: string }> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  return { keys, publicKey: toBase64url(await crypto.subtle.exportKey('raw', keys.publicKey)) };
}

/** The key two participants share for wrapping media keys: both derive it, nobody sends it. */
export async function wrappingKey(ours: CryptoKeyPair, theirPublicKey: string, roomId: string): Promise<CryptoKey> {
  const theirs = await crypto.subtle.importKey('raw', fromBase64url(theirPublicKey), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: theirs }, ours.privateKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(roomId), info: HKDF_INFO },
    hkdf,
    { name: 'AES-GCM', length: 128 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A fresh media key: raw bytes (to wrap for each peer) and the key the worker encrypts with. */
export async function newMediaKey(): Promise<{ raw: Uint8Array<ArrayBuffer>; key: CryptoKey }> {
  const raw = crypto.getRandomValues(new Uint8Array(16));
  return { raw, key: await importMediaKey(raw) };
}

export function importMediaKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function wrapMediaKey(raw: Uint8Array<ArrayBuffer>, wrapping: CryptoKey): Promise<{ iv: string; wrapped: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrapping, raw);
  return { iv: toBase64url(iv), wrapped: toBase64url(wrapped) };
}

/** The media key, or null when it does not verify (not wrapped for us, or tampered with). */
export async function unwrapMediaKey(iv: string, wrapped: string, wrapping: CryptoKey): Promise<CryptoKey | null> {
  try {
    const raw = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(iv) }, wrapping, fromBase64url(wrapped)));
    return raw.length === 16 ? await importMediaKey(raw) : null;
  } catch {
    return null;
  }
}

/**
 * Eight digits from everyone's public keys as this participant got them. Equal codes on everyone's
 * screen mean everyone got the same keys; a server that swapped one would change it for some.
 */
export async function safetyCode(publicKeys: Record<string, string>): Promise<string> {
  const text = Object.entries(publicKeys)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, key]) => `${id}:${key}`)
    .join('\n');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const n = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
  const digits = String(n % 100_000_000).padStart(8, '0');
  return `${digits.slice(0, 4)} ${digits.slice(4)}`;
}
