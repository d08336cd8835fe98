// What every message family shares: modes, ids and names, error codes, the ack's result shape, the
// payload cap, and the roster's shapes. Pure data (zod only), so the browser imports it too.
import { z } from 'zod';

// Zod compiles fast parsers with `new Function` when it may, and probes for that with a test
// eval: pages run under a Content-Security-Policy without 'unsafe-eval' (server/security-headers.ts),
// where even the probe is reported as a violation. Small payloads parse just as well without it.
z.config({ jitless: true });

/** How media flows: every participant to every other (mesh), or each to the server (sfu). */
export const MODES = ['mesh', 'sfu'] as const;
export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;
/** What a room is asked to run: one mode for good, or `auto`, which moves between them (auto.ts). */
export const ROOM_MODES = [...MODES, 'auto'] as const;
export const roomModeSchema = z.enum(ROOM_MODES);
export type RoomMode = z.infer<typeof roomModeSchema>;

export const ROOM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const roomIdSchema = z
  .string()
  .regex(ROOM_ID_PATTERN, 'room id: 1-64 letters, digits, "-" or "_", starting with a letter or digit');
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'display name must not be empty')
  .max(40, 'display name: at most 40 characters');
export const peerIdSchema = z.string().min(1).max(64);
/** A room's optional passcode, chosen by its creator; compared exactly (no trimming). */
export const PASSCODE_MIN = 4;
export const PASSCODE_MAX = 64;
export const passcodeSchema = z
  .string()
  .min(PASSCODE_MIN, `passcode: at least ${PASSCODE_MIN} characters`)
  .max(PASSCODE_MAX, `passcode: at most ${PASSCODE_MAX} characters`);

/** Every failure has one of these codes; clients branch on the code, people read the message. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNKNOWN_EVENT',
  'NOT_IN_ROOM',
  'ALREADY_IN_ROOM',
  'ROOM_FULL',
  'MODE_MISMATCH',
  'PEER_NOT_FOUND',
  'NOT_FOUND',
  'SFU_UNAVAILABLE',
  /** A resume token that is forged, expired, for another room, or whose seat is gone: join again. */
  'RESUME_REFUSED',
  /** The room has a passcode and this join did not give it (or gave another one). */
  'BAD_PASSCODE',
  /** Too many wrong passcodes from this address lately; the error says when to try again. */
  'TOO_MANY_ATTEMPTS',
  /** The host locked the room: no new participants. */
  'ROOM_LOCKED',
  /** Only the room's host may do that. */
  'FORBIDDEN',
  /** The host removed this participant (its seat and resume token are gone). */
  'REMOVED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export interface WireError {
  code: ErrorCode;
  message: string;
  /** TOO_MANY_ATTEMPTS: seconds until the next try can succeed. */
  retryAfterSec?: number;
}
export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };
export type Ack<T> = (result: Result<T>) => void;

/** The largest payload the gate lets through, as JSON bytes (Engine.IO's own frame cap is higher). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** The payload of requests that carry nothing (still an object, so extra fields are refused). */
export const emptySchema = z.strictObject({});

export const mediaStateSchema = z.strictObject({ audio: z.boolean(), video: z.boolean() });
export type MediaState = z.infer<typeof mediaStateSchema>;

export interface PeerInfo {
  id: string;
  name: string;
  media: MediaState;
  /** Its signaling connection dropped; its seat is kept for the grace period (media may still flow). */
  reconnecting?: boolean;
  /** The room's host (the longest-present participant): may remove others and lock the room. */
  host?: boolean;
  /** The server node its signaling (and SFU media) goes through, when several nodes share the rooms. */
  node?: string;
}

/** A server node of a cluster, as a browser reaches it. */
export interface ClusterNode {
  id: string;
  url: string;
}

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}
