// ICE candidate gathering for the connectivity check: one throwaway RTCPeerConnection with the
// issued ICE servers, its candidates parsed into plain rows. No React, so it can be reused and tested.

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface CandidateRow {
  type: CandidateType | string;
  /** udp | tcp: how the browser talks to the first hop (for relay: to the TURN server). */
  protocol: string;
  address: string;
  port: number | null;
  priority: number | null;
  /** Relay only: the transport between the browser and the TURN server (udp | tcp | tls). */
  relayProtocol: string | null;
  /** The STUN/TURN server URL that produced the candidate (srflx/relay), when the browser says. */
  url: string | null;
  raw: string;
}

export interface GatherResult {
  candidates: CandidateRow[];
  /** False when the bounded timeout ended gathering before the browser reported "complete". */
  complete: boolean;
  elapsedMs: number;
  /** icecandidateerror events: the browser's own words on why a STUN/TURN server failed. */
  errors: string[];
}

/**
 * Parses an SDP candidate attribute ("candidate:<foundation> <component> <proto> <priority> <addr>
 * <port> typ <type> ..."). The string is the one format every browser fills in completely, whereas
 * the RTCIceCandidate fields (address, relayProtocol) vary by browser and version.
 */
export function parseCandidateLine(line: string): Omit<CandidateRow, 'url' | 'relayProtocol'> | null {
  const parts = line.replace(/^a=/, '').replace(/^candidate:/, '').trim().split(/\s+/);
  if (parts.length < 8 || parts[6] !== 'typ') return null;
  const port = Number(parts[5]);
  const priority = Number(parts[3]);
  return {
    type: parts[7],
    protocol: parts[2].toLowerCase(),
    address: parts[4],
    port: Number.isFinite(port) ? port : null,
    priority: Number.isFinite(priority) ? priority : null,
    raw: line,
  };
}

export function toRow(candidate: RTCIceCandidate, url: string | null): CandidateRow | null {
  const parsed = parseCandidateLine(candidate.candidate);
  if (!parsed) return null;
  const fromBrowser = (candidate as RTCIceCandidate & { relayProtocol?: string | null }).relayProtocol ?? null;
  const relayProtocol = parsed.type === 'relay' ? fromBrowser : null;
  return { ...parsed, relayProtocol, url: parsed.type === 'host' ? null : url };
}

/**
 * Gathers every candidate the browser can find with these servers. A data channel is enough to
 * make the offer carry an ICE transport; no camera is needed. Bounded: stops after timeoutMs even
 * when an unreachable server keeps the browser waiting.
 */
export async function gatherCandidates(iceServers: RTCIceServer[], timeoutMs = 6_000): Promise<GatherResult> {
  const started = performance.now();
  const pc = new RTCPeerConnection({ iceServers, iceCandidatePoolSize: 0 });
  const candidates: CandidateRow[] = [];
  const errors: string[] = [];
  try {
    pc.createDataChannel('probe');
    const complete = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      pc.onicecandidate = (event) => {
        if (!event.candidate || !event.candidate.candidate) {
          clearTimeout(timer);
          resolve(true);
          return;
        }
        const row = toRow(event.candidate, (event as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null);
        if (row) candidates.push(row);
      };
      pc.onicecandidateerror = (event) => {
        const e = event as RTCPeerConnectionIceErrorEvent;
        errors.push(`${e.url || 'ICE server'}: ${e.errorCode} ${e.errorText}`.trim());
      };
      pc.createOffer()
        .then((offer) => pc.setLocalDescription(offer))
        .catch((err: unknown) => {
          errors.push(`createOffer failed: ${String(err)}`);
          clearTimeout(timer);
          resolve(false);
        });
    });
    await enrichFromStats(pc, candidates);
    return { candidates, complete, elapsedMs: performance.now() - started, errors };
  } finally {
    pc.close();
  }
}

/**
 * Chromium leaves RTCIceCandidate.relayProtocol and the event's url empty, but its local-candidate
 * stats carry both; match them by address, port and type to fill the table's "relay via" column.
 */
async function enrichFromStats(pc: RTCPeerConnection, rows: CandidateRow[]): Promise<void> {
  try {
    const report = await pc.getStats();
    for (const stat of report.values() as IterableIterator<Record<string, unknown>>) {
      if (stat.type !== 'local-candidate') continue;
      const row = rows.find((r) => r.type === stat.candidateType && r.port === stat.port && r.address === (stat.address ?? stat.ip));
      if (!row) continue;
      if (row.type === 'relay' && !row.relayProtocol && typeof stat.relayProtocol === 'string') row.relayProtocol = stat.relayProtocol;
      if (row.type !== 'host' && !row.url && typeof stat.url === 'string' && stat.url) row.url = stat.url;
    }
  } catch {
    // Stats are an extra; the rows parsed from the candidates themselves stand without them.
  }
}

export function countByType(rows: readonly CandidateRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.type] = (counts[row.type] ?? 0) + 1;
  return counts;
}
