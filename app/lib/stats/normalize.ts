// Turns the raw getStats() reports of every connection (either mode) into one Sample: byte deltas
// since the previous sample as kbps, per connection, per remote peer, per outbound layer. Pure.
import type { RawConnectionStats } from '../call/engine';
import type { ConnectionSample, Counter, LayerSample, NormalizeContext, RemotePeerSample, Sample } from './sample';
import { kindOf, num, rtpStats, selectedPair, selectedPath, str, type Entry } from './summarize';

// bytes*8 / ms = bits per ms = kbps; one decimal is plenty for a chart.
const kbps = (bytes: number, ms: number) => Math.round((bytes * 80) / ms) / 10;

/** The delta since the previous sample; a counter that went backwards (reset, new stream) counts 0. */
function delta(now: number | null, before: number | undefined): number {
  if (now === null || before === undefined) return 0;
  return Math.max(0, now - before);
}

interface PeerAcc {
  bytes: number;
  lost: number;
  received: number;
  framesDecoded: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  jitterMs: number | null;
  freezeCount: number | null;
}

const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

export function normalize(raw: RawConnectionStats[], previous: Sample | null, context: NormalizeContext): Sample {
  const ms = previous ? context.now - previous.timestamp : 0;
  const rate = (bytes: number): number | null => (ms > 0 ? kbps(bytes, ms) : null);
  const counters: Record<string, Counter> = {};
  const up = { total: 0, audio: 0, video: 0 };
  const down = { total: 0, audio: 0, video: 0 };
  const perPeer = new Map<string, PeerAcc>();
  const layers: LayerSample[] = [];
  const connectionStats: ConnectionSample[] = [];
  let activeEncoders = 0;

  for (const conn of raw) {
    let connUp = 0;
    let connDown = 0;
    for (const s of rtpStats(conn.stats, 'outbound-rtp')) {
      const e = s as unknown as Entry;
      const key = `${conn.id}|${String(e.id)}`;
      const bytes = num(e.bytesSent);
      counters[key] = { bytes: bytes ?? 0 };
      const d = delta(bytes, previous?.counters[key]?.bytes);
      connUp += d;
      const kind = kindOf(s) === 'audio' ? 'audio' : 'video';
      up[kind] += d;
      if (kind !== 'video') continue;
      // Bytes flowing: a delta when we have an interval, any bytes at all on the first sample.
      if (previous ? d > 0 : (bytes ?? 0) > 0) activeEncoders += 1;
      layers.push({
        connectionId: conn.id,
        peerId: conn.peerId,
        rid: str(e.rid),
        kbps: rate(d),
        width: num(e.frameWidth),
        height: num(e.frameHeight),
        fps: num(e.framesPerSecond),
        qualityLimitationReason: str(e.qualityLimitationReason),
      });
    }
    for (const s of rtpStats(conn.stats, 'inbound-rtp')) {
      const e = s as unknown as Entry;
      const key = `${conn.id}|${String(e.id)}`;
      const bytes = num(e.bytesReceived);
      const lost = num(e.packetsLost);
      const received = num(e.packetsReceived);
      counters[key] = { bytes: bytes ?? 0, packetsLost: lost ?? 0, packetsReceived: received ?? 0 };
      const before = previous?.counters[key];
      const d = delta(bytes, before?.bytes);
      connDown += d;
      const kind = kindOf(s) === 'audio' ? 'audio' : 'video';
      down[kind] += d;
      const peerId = conn.peerId ?? conn.peerByTrack?.[String(e.trackIdentifier)];
      if (!peerId) continue;
      const acc = perPeer.get(peerId) ?? emptyPeer();
      acc.bytes += d;
      // Loss over the interval when this stream existed before, over the whole stream otherwise.
      acc.lost += before ? delta(lost, before.packetsLost) : (lost ?? 0);
      acc.received += before ? delta(received, before.packetsReceived) : (received ?? 0);
      if (kind === 'video') {
        acc.framesDecoded = add(acc.framesDecoded, num(e.framesDecoded));
        acc.fps = num(e.framesPerSecond) ?? acc.fps;
        acc.width = num(e.frameWidth) ?? acc.width;
        acc.height = num(e.frameHeight) ?? acc.height;
        acc.freezeCount = add(acc.freezeCount, num(e.freezeCount));
        const jitter = num(e.jitter);
        if (jitter !== null) acc.jitterMs = Math.max(acc.jitterMs ?? 0, jitter * 1000);
      }
      perPeer.set(peerId, acc);
    }
    const path = selectedPath(conn.stats);
    const available = num(selectedPair(conn.stats)?.pair.availableOutgoingBitrate);
    connectionStats.push({
      id: conn.id,
      role: conn.role,
      peerId: conn.peerId,
      state: conn.state,
      ...path,
      availableOutgoingKbps: available === null ? null : Math.round(available / 1000),
      upKbps: rate(connUp),
      downKbps: rate(connDown),
    });
  }

  const peers: RemotePeerSample[] = context.roster.map(({ id, name }) => {
    const acc = perPeer.get(id);
    const packets = acc ? acc.lost + acc.received : 0;
    return {
      id,
      name,
      framesDecoded: acc?.framesDecoded ?? null,
      fps: acc?.fps ?? null,
      width: acc?.width ?? null,
      height: acc?.height ?? null,
      jitterMs: acc?.jitterMs ?? null,
      packetLossPct: acc && packets > 0 ? (acc.lost / packets) * 100 : null,
      freezeCount: acc?.freezeCount ?? null,
      kbps: acc ? rate(acc.bytes) : null,
    };
  });

  return {
    timestamp: context.now,
    mode: context.mode,
    upload: { totalKbps: rate(up.audio + up.video), audioKbps: rate(up.audio), videoKbps: rate(up.video) },
    download: { totalKbps: rate(down.audio + down.video), audioKbps: rate(down.audio), videoKbps: rate(down.video) },
    activeEncoders,
    connections: raw.length,
    connectionStats,
    peers,
    layers,
    pingRtt: { ...(context.pingRtt ?? {}) },
    counters,
  };
}

function emptyPeer(): PeerAcc {
  return { bytes: 0, lost: 0, received: 0, framesDecoded: null, fps: null, width: null, height: null, jitterMs: null, freezeCount: null };
}
