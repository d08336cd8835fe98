// Does the call's TURN server actually give us a relay? Asked once per call, in the background: a
// throwaway gathering with the same kind of credentials the call got. Without it, a wrong TURN
// secret or a blocked TURN port shows only as calls that never connect where a relay was needed.
import type { GatherResult } from './candidates';
import { gatherCandidates } from './candidates';
import { fetchIceServers } from './check';

export type TurnProblemCode = 'TURN_AUTH_FAILED' | 'TURN_UNREACHABLE';

export interface TurnProblem {
  code: TurnProblemCode;
  message: string;
  /** The browser's own words (icecandidateerror), for the curious and for bug reports. */
  details: string[];
}

const isTurnUrl = (url: string) => /^turns?:/i.test(url);

export function offersTurn(servers: readonly RTCIceServer[]): boolean {
  return servers.some((s) => [s.urls].flat().some(isTurnUrl));
}

/** The problem a gathering shows, or null when a relay candidate came (or no TURN was offered). */
export function turnProblem(servers: readonly RTCIceServer[], gather: GatherResult): TurnProblem | null {
  if (!offersTurn(servers) || gather.candidates.some((c) => c.type === 'relay')) return null;
  const details = gather.errors.filter((e) => isTurnUrl(e));
  // 401: coturn refused the credentials (a TURN_SECRET that does not match coturn's static-auth-secret, or an expired credential).
  if (details.some((e) => /:\s*401\b/.test(e))) {
    return {
      code: 'TURN_AUTH_FAILED',
      message: 'The TURN server refused this call’s credentials (401 Unauthorized), so no relay is available: calls that need one (behind a symmetric NAT or a UDP-blocking firewall) will not connect. The server’s TURN_SECRET probably does not match coturn’s static-auth-secret.',
      details,
    };
  }
  return {
    code: 'TURN_UNREACHABLE',
    message: 'The TURN server gave no relay (unreachable, or it did not answer in time): calls that need a relay will not connect.',
    details: details.length ? details : gather.errors,
  };
}

/** Fetches fresh ICE servers and gathers once; null when TURN works or is not offered. */
export async function checkTurn(signal?: AbortSignal): Promise<TurnProblem | null> {
  const { iceServers } = await fetchIceServers(signal);
  if (!offersTurn(iceServers)) return null;
  return turnProblem(iceServers, await gatherCandidates(iceServers));
}
