// Auto rooms: the server moves the whole room between mesh and SFU by how many are in it, and
// tells everyone with room:topology. Each change is numbered, so a participant that sees two in a
// row (a join and a leave at once) acts on the newest and everyone ends on the same topology.
import { z } from 'zod';
import type { Mode } from './common';

/** The participants above which an auto room runs on the SFU (1 = always SFU except alone). */
export const sfuAboveSchema = z.number().int().min(1, 'sfuAbove: at least 1').max(64, 'sfuAbove: at most 64');

export interface TopologyChange {
  /** Counts the room's decisions; only a newer one replaces what a participant has. */
  epoch: number;
  topology: Mode;
  /** Participants above this many run on the SFU. */
  threshold: number;
  /** How many were in the room when the server decided. */
  participants: number;
  /** The rule and its numbers, for people: "3 participants > threshold 2". */
  reason: string;
  /** Server time of the decision (ms since the epoch). */
  at: number;
}

/** room:topology's payload: the change, and the router's capabilities when it goes to the SFU. */
export interface TopologyPush extends TopologyChange {
  routerRtpCapabilities?: unknown;
}
