// Room passcodes, kept only as a salted scrypt hash: a memory dump or a log line never holds the
// passcode itself, and scrypt makes guessing from a leaked hash slow. Compared in constant time.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PasscodeHash {
  salt: Buffer;
  hash: Buffer;
}

const KEY_BYTES = 32;
/** scrypt's default cost (N = 2^14): ~40 ms on the thread pool, off the event loop. */
const COST = { N: 16384, r: 8, p: 1 };

function derive(passcode: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passcode.normalize('NFC'), salt, KEY_BYTES, COST, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A fresh per-room salt, so equal passcodes in two rooms hash differently. */
export async function hashPasscode(passcode: string): Promise<PasscodeHash> {
  const salt = randomBytes(16);
  return { salt, hash: await derive(passcode, salt) };
}

export async function passcodeMatches(passcode: string, stored: PasscodeHash): Promise<boolean> {
  const given = await derive(passcode, stored.salt);
  return timingSafeEqual(given, stored.hash);
}
