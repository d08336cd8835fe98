// The whole connectivity check as one sequence: ask the server for ICE servers, gather candidates,
// then the relay and direct loopback tests. Reports progress through a callback so any UI can show it.
import { HTTP_PATHS, type IceServersResponse } from '../../../signaling/http';
import { gatherCandidates, type GatherResult } from './candidates';
import { runLoopback, type LoopbackResult } from './loopback';

/** GET /api/ice-servers as the check uses it: RTCPeerConnection takes the DOM's wider ICE server type. */
export interface IceServersReply extends Omit<IceServersResponse, 'iceServers'> {
  iceServers: RTCIceServer[];
}

export type CheckStep = 'idle' | 'fetching' | 'gathering' | 'relay-test' | 'direct-test' | 'done' | 'failed';

export interface CheckState {
  step: CheckStep;
  servers: IceServersReply | null;
  gather: GatherResult | null;
  relay: LoopbackResult | null;
  direct: LoopbackResult | null;
  /** Why the check could not run at all (e.g. the server did not answer). */
  error: string | null;
}

export const INITIAL_CHECK: CheckState = { step: 'idle', servers: null, gather: null, relay: null, direct: null, error: null };

export async function fetchIceServers(signal?: AbortSignal): Promise<IceServersReply> {
  const res = await fetch(HTTP_PATHS.iceServers, { cache: 'no-store', signal });
  if (!res.ok) throw new Error(`GET ${HTTP_PATHS.iceServers} answered HTTP ${res.status}`);
  const body = (await res.json()) as Partial<IceServersResponse>;
  if (!Array.isArray(body.iceServers) || !body.turn) throw new Error(`GET ${HTTP_PATHS.iceServers} returned an unexpected body`);
  return { iceServers: body.iceServers, iceTtlSeconds: Number(body.iceTtlSeconds ?? 0), turn: body.turn };
}

function hasTurnServer(servers: RTCIceServer[]): boolean {
  return servers.some((s) => [s.urls].flat().some((u) => /^turns?:/.test(u)));
}

/** Runs every step in order; each step's result is published before the next one starts. */
export async function runConnectivityCheck(onUpdate: (state: CheckState) => void, messages = 10): Promise<CheckState> {
  let state: CheckState = { ...INITIAL_CHECK, step: 'fetching' };
  const publish = (patch: Partial<CheckState>) => {
    state = { ...state, ...patch };
    onUpdate(state);
  };
  publish({});
  try {
    const servers = await fetchIceServers();
    publish({ servers, step: 'gathering' });
    const gather = await gatherCandidates(servers.iceServers);
    publish({ gather, step: 'relay-test' });
    // Without a TURN server in the list a relay-only pair cannot even gather; say so instead of waiting.
    const relay = hasTurnServer(servers.iceServers)
      ? await runLoopback(servers.iceServers, 'relay', { messages })
      : skipped('relay', 'the server issued no TURN server');
    publish({ relay, step: 'direct-test' });
    const direct = await runLoopback(servers.iceServers, 'all', { messages });
    publish({ direct, step: 'done' });
  } catch (err) {
    publish({ step: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
  return state;
}

function skipped(policy: LoopbackResult['policy'], why: string): LoopbackResult {
  return {
    policy, ok: false, medianRttMs: null, rttsMs: [], sent: 0, received: 0, localCandidateType: null,
    remoteCandidateType: null, protocol: null, pairRttMs: null, connectMs: null, error: `Not run: ${why}`,
  };
}
