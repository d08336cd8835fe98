// What one poll of a participant page returns: the QA contract's snapshot and stats, plus what the
// raw reports add (encoders, quality limitation, freezes per remote peer) and getSample() if present.
// The collector is a plain JS string: functions compiled by tsx may carry helpers the page lacks.

export interface ProbePeer {
  name: string;
  framesDecoded: number;
  /** False when the peer sends us video but is missing from the page's roster (snapshot.peers). */
  inRoster: boolean;
  /** From inbound-rtp where Chromium reports it; null otherwise. */
  freezeCount: number | null;
  totalFreezesDurationS: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
}

export interface ProbeSample {
  /** Node-side wall clock, ms (performance.now()). */
  t: number;
  status: string;
  selfId: string | null;
  error: { code: string; message: string } | null;
  bytesSent: number;
  bytesReceived: number;
  connections: number;
  uploadConnections: number;
  /** Remote peers by id. */
  peers: Record<string, ProbePeer>;
  /** framesEncoded per outbound video stream (connection + ssrc + rid). */
  encoders: Record<string, number>;
  /** qualityLimitationReason -> number of outbound video streams reporting it. */
  qualityLimitation: Record<string, number>;
  /** Selected candidate pair per connection. */
  paths: { role: string; rttMs: number | null; localCandidateType: string | null; relayed: boolean }[];
  /** window.__call.getSample() when the app provides it (shape owned by the app), else null. */
  appSample: unknown;
}

export const COLLECT_JS = `(async () => {
  const c = window.__call;
  if (!c || typeof c.getSnapshot !== 'function') return null;
  const snap = c.getSnapshot();
  const stats = await c.getStats();
  const raw = typeof c.getRawStats === 'function' ? await c.getRawStats().catch(() => []) : [];
  let appSample = null;
  if (typeof c.getSample === 'function') { try { appSample = await c.getSample(); } catch (e) { appSample = null; } }
  const names = {};
  for (const p of snap.peers) names[p.id] = p.name;
  const peers = {};
  for (const p of stats.peers) {
    peers[p.id] = { name: p.name, framesDecoded: p.framesDecoded, inRoster: p.id in names, rawFrames: 0, freezeCount: null, totalFreezesDurationS: null, frameWidth: null, frameHeight: null };
  }
  const encoders = {};
  const qualityLimitation = {};
  for (const conn of raw) {
    for (const s of conn.stats) {
      const kind = s.kind ?? s.mediaType;
      if (s.type === 'outbound-rtp' && kind === 'video') {
        encoders[conn.id + '/' + s.ssrc + '/' + (s.rid ?? '')] = s.framesEncoded ?? 0;
        if (s.qualityLimitationReason) qualityLimitation[s.qualityLimitationReason] = (qualityLimitation[s.qualityLimitationReason] ?? 0) + 1;
      }
      if (s.type === 'inbound-rtp' && kind === 'video') {
        const id = conn.peerId ?? (conn.peerByTrack ? conn.peerByTrack[s.trackIdentifier] : undefined);
        if (!id) continue;
        const e = peers[id] ?? (peers[id] = { name: names[id] ?? id, framesDecoded: 0, inRoster: id in names, rawFrames: 0, freezeCount: null, totalFreezesDurationS: null, frameWidth: null, frameHeight: null });
        e.rawFrames += s.framesDecoded ?? 0;
        if (typeof s.freezeCount === 'number') e.freezeCount = (e.freezeCount ?? 0) + s.freezeCount;
        if (typeof s.totalFreezesDuration === 'number') e.totalFreezesDurationS = (e.totalFreezesDurationS ?? 0) + s.totalFreezesDuration;
        if (typeof s.frameWidth === 'number') { e.frameWidth = s.frameWidth; e.frameHeight = s.frameHeight ?? null; }
      }
    }
  }
  for (const e of Object.values(peers)) { e.framesDecoded = Math.max(e.framesDecoded, e.rawFrames); delete e.rawFrames; }
  const paths = (stats.connectionDetails ?? []).map((d) => ({ role: d.role, rttMs: d.rttMs, localCandidateType: d.localCandidateType, relayed: d.relayed }));
  return {
    status: snap.status, selfId: snap.selfId, error: snap.error,
    bytesSent: stats.bytesSent, bytesReceived: stats.bytesReceived,
    connections: stats.connections, uploadConnections: stats.uploadConnections,
    peers, encoders, qualityLimitation, paths, appSample,
  };
})()`;

/** Frames decoded from each remote peer, by display name (for printing). */
export function framesByName(s: ProbeSample): Record<string, number> {
  return Object.fromEntries(Object.values(s.peers).map((p) => [p.name, p.framesDecoded]));
}

/** Remote peers this participant has decoded at least one frame from. */
export function decodingPeers(s: ProbeSample): number {
  return Object.values(s.peers).filter((p) => p.framesDecoded > 0).length;
}
