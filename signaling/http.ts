// The server's HTTP answers, as the browser and probes read them: paths, JSON bodies, error body.
// Part of the protocol layer (zod and protocol types only), so the lobby can check what it gets.
import { z } from 'zod';
import { modeSchema, roomIdSchema, type IceServer, type Mode, type PeerInfo, type PeerStatsShare, type TopologyChange } from './protocol';

export const HTTP_PATHS = {
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  lobby: '/api/lobby',
  iceServers: '/api/ice-servers',
  place: '/api/place',
} as const;

/**
 * POST only, sent by navigator.sendBeacon when a page goes away: its seat's resume token proves it
 * may give the seat up (signaling/leave-beacon.ts). A page's goodbye over its socket can be lost
 * with the closing socket; a beacon is delivered after the page is gone.
 */
export const BEACON_PATHS = {
  leave: '/api/leave',
} as const;

export const leaveBeaconSchema = z.strictObject({ roomId: roomIdSchema, token: z.string().min(1).max(1024) });
export type LeaveBeacon = z.infer<typeof leaveBeaconSchema>;

/** The operator's own endpoints (bearer token; server/operator-watch.ts), apart from the public routes above. */
export const OPERATOR_PATHS = {
  room: '/operator/room',
} as const;

const modeStatusSchema = z.object({
  available: z.boolean(),
  /** Why the mode cannot be used right now; null when it can. */
  reason: z.string().nullable(),
  maxPeers: z.number().int(),
});
/** One entry per mode (zod 4 makes a record over an enum exhaustive). */
const modesStatusSchema = z.record(modeSchema, modeStatusSchema);
export type ModesStatus = z.infer<typeof modesStatusSchema>;

const turnStatusSchema = z.object({
  available: z.boolean(),
  /** Why browsers get no TURN relay; null when they do. */
  reason: z.string().nullable(),
});
export type TurnStatus = z.infer<typeof turnStatusSchema>;

/** GET /api/lobby: what the lobby shows before a call (modes on offer, whether TURN is there). */
export const lobbyResponseSchema = z.object({ modes: modesStatusSchema, turn: turnStatusSchema });
export type LobbyResponse = z.infer<typeof lobbyResponseSchema>;

/**
 * GET /api/place?room=<id>: the node a room's participants should use when several nodes share the
 * rooms (the placement rule: where most of the room already is, else the least-loaded node).
 * node and url are null on a single server: stay where you are.
 */
export interface PlaceResponse {
  node: string | null;
  url: string | null;
  reason: string;
}

/** GET /api/ice-servers: short-lived ICE servers for the connectivity check page. */
export interface IceServersResponse {
  iceServers: IceServer[];
  iceTtlSeconds: number;
  turn: TurnStatus;
}

/** GET /readyz: 200 once pages are served, 503 before, with this body either way. */
export interface ReadyzResponse {
  ready: boolean;
  modes: ModesStatus;
  turn: TurnStatus & { urls: string[] };
}

/** GET /operator/room?room=<id> (operator token): everyone in the room, with their latest shared summary. */
export interface OperatorRoomView {
  id: string;
  /** How media flows now (for an auto room, its current topology). */
  mode: Mode;
  /** Auto rooms: the current topology and the rule that chose it. */
  auto?: TopologyChange;
  peers: (PeerInfo & { share: PeerStatsShare | null })[];
}

/** GET /healthz: the process is up. */
export interface HealthzResponse {
  ok: true;
}

/** The body of every HTTP error the server's own routes answer. */
export interface HttpErrorResponse {
  error: { code: 'METHOD_NOT_ALLOWED' | 'NOT_FOUND' | 'BAD_REQUEST'; message: string };
}
