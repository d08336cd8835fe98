// An RTCStatsReport as plain objects: what engines hand to the stats layer (JSON-safe, so tests
// and fixtures see exactly what the browser saw). Engines fetch reports; they never interpret them.

export async function plainStats(report: Promise<RTCStatsReport>): Promise<Record<string, unknown>[]> {
  try {
    return [...(await report).values()].map((s) => ({ ...s }));
  } catch {
    return []; // a connection closing while we ask has no stats left, which is not an error
  }
}
