// End-to-end encryption in SFU rooms: each participant's ECDH public key, and its media key wrapped
// for one other participant, relayed through the server. The server can read neither the media
// keys (wrapped under keys only the two browsers can derive) nor, therefore, the media.
import { z } from 'zod';
import { peerIdSchema } from './common';

const base64url = (min: number, max: number) => z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url').min(min).max(max);

export const e2eeKeySchema = z.strictObject({
  to: peerIdSchema,
  /** The sender's ECDH P-256 public key, raw (65 bytes), base64url. */
  publicKey: base64url(87, 87),
  /** Once the sender knows `to`'s public key: its current media key, wrapped for `to`. */
  mediaKey: z
    .strictObject({
      /** Which of the sender's keys (it rotates them when someone leaves); frames carry it. */
      keyId: z.number().int().min(0).max(255),
      /** The wrapping's AES-GCM nonce (12 bytes). */
      iv: base64url(16, 16),
      /** The 16-byte AES key encrypted with its 16-byte tag. */
      wrapped: base64url(43, 43),
    })
    .optional(),
});
export type E2eeKeyRequest = z.infer<typeof e2eeKeySchema>;

/** What the target receives: the same body, with the sender stamped by the server. */
export type E2eeKeyMessage = Omit<E2eeKeyRequest, 'to'> & { from: string };
