// Pure sums over one RTCStatsReport (or any captured list of stats objects), shared by both call modes.
// Nothing here calls getStats: engines fetch the reports, these functions only read them.

/** An RTCStatsReport, a Map of stats, or an array of stats objects captured as JSON in tests. */
export interface StatsSource {
  values(): Iterable<unknown>;
}

interface RtpStats {
  type: string;
  kind?: string;
  mediaType?: string;
  bytesSent?: number;
  bytesReceived?: number;
  framesDecoded?: number;
}

function* rtpStats(source: StatsSource, type: 'outbound-rtp' | 'inbound-rtp'): Generator<RtpStats> {
  for (const value of source.values()) {
    if (value && typeof value === 'object' && (value as RtpStats).type === type) yield value as RtpStats;
  }
}

// Older Chromium builds report the media kind as `mediaType`; newer ones as `kind`.
function kindOf(stats: RtpStats): string | undefined {
  return stats.kind ?? stats.mediaType;
}

/** Bytes uploaded, summed over every outbound-rtp entry (every track and every simulcast layer). */
export function sumOutbound(source: StatsSource): number {
  let bytes = 0;
  for (const s of rtpStats(source, 'outbound-rtp')) bytes += s.bytesSent ?? 0;
  return bytes;
}

/** Bytes downloaded, summed over every inbound-rtp entry. */
export function sumInbound(source: StatsSource): number {
  let bytes = 0;
  for (const s of rtpStats(source, 'inbound-rtp')) bytes += s.bytesReceived ?? 0;
  return bytes;
}

/** Video frames decoded over every inbound video stream in the report. */
export function videoFramesDecoded(source: StatsSource): number {
  let frames = 0;
  for (const s of rtpStats(source, 'inbound-rtp')) {
    if (kindOf(s) === 'video') frames += s.framesDecoded ?? 0;
  }
  return frames;
}

/** True when the report shows this connection has actually uploaded media. */
export function hasUploaded(source: StatsSource): boolean {
  for (const s of rtpStats(source, 'outbound-rtp')) if ((s.bytesSent ?? 0) > 0) return true;
  return false;
}
