// Turns the raw getStats() reports of every connection (either mode) into one Sample: byte deltas
// since the previous sample as kbps (per connection, per remote peer, per outbound layer) and the
// cumulative totals beside them. Pure; the only place that reads RTP counters.
import type { RawConnectionStats } from '../call/engine';
import { kindOf, num, peerOfInbound, rtpEntries, selectedPair, selectedPath, str } from './reports';
import type { ConnectionSample, Counter, LayerSample, NormalizeContext, RemotePeerSample, Sample, ScreenReceived } from './sample';

// bytes*8 / ms = bits per ms = kbps; one decimal is plenty for a chart.
const kbps = (bytes: number, ms: number) => Math.round((bytes * 80) / ms) / 10;

/** The delta since the previous sample; a counter that went backwards (reset, new stream) counts 0. */
function delta(now: number | null, before: number | undefined): number {
  if (now === null || before === undefined) return 0;
  return Math.max(0, now - before);
}

interface PeerAcc {
  bytes: number;
  totalBytes: number;
  lost: number;
  received: number;
  framesDecoded: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  jitterMs: number | null;
  freezeCount: number | null;
  freezeSeconds: number | null;
  screen: (ScreenReceived & { bytes: number }) | null;
}

const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

export function normalize(raw: RawConnectionStats[], previous: Sample | null, context: NormalizeContext): Sample {
  const ms = previous ? context.now - previous.timestamp : 0;
  const rate = (bytes: number): number | null => (ms > 0 ? kbps(bytes, ms) : null);
  const counters: Record<string, Counter> = {};
  const up = { audio: 0, video: 0 };
  const down = { audio: 0, video: 0 };
  const totals = { bytesSent: 0, bytesReceived: 0 };
  const perPeer = new Map<string, PeerAcc>();
  const layers: LayerSample[] = [];
  const connectionStats: ConnectionSample[] = [];
  let activeEncoders = 0;
  let uploadConnections = 0;
  const screen = { up: 0, down: 0, encoders: 0, connections: 0, bytesSent: 0 };
  const protocol = { upHeader: 0, upAudioHeader: 0, upRetransmitted: 0, downHeader: 0, upWire: 0, downWire: 0 };

  for (const conn of raw) {
    const sums = { up: 0, down: 0, sent: 0, received: 0 };
    const screenTracks = new Set(conn.screenTracks ?? []);
    let carriesScreen = false;
    for (const e of rtpEntries(conn.stats, 'outbound-rtp')) {
      const key = `${conn.id}|${String(e.id)}`;
      const bytes = num(e.bytesSent);
      const header = num(e.headerBytesSent);
      const retransmitted = num(e.retransmittedBytesSent);
      const packets = num(e.packetsSent);
      counters[key] = { bytes: bytes ?? 0, headerBytes: header ?? 0, retransmittedBytes: retransmitted ?? 0, packets: packets ?? 0 };
      const before = previous?.counters[key];
      const d = delta(bytes, before?.bytes);
      const dHeader = delta(header, before?.headerBytes);
      const dRetransmitted = delta(retransmitted, before?.retransmittedBytes);
      sums.up += d;
      sums.sent += bytes ?? 0;
      const kind = kindOf(e);
      up[kind] += d;
      protocol.upHeader += dHeader;
      protocol.upRetransmitted += dRetransmitted;
      if (kind !== 'video') {
        protocol.upAudioHeader += dHeader;
        continue;
      }
      // Bytes flowing: a delta when we have an interval, any bytes at all on the first sample.
      const flowing = previous ? d > 0 : (bytes ?? 0) > 0;
      if (flowing) activeEncoders += 1;
      const source = screenTracks.has(sourceTrack(conn.stats, e) ?? '') ? 'screen' : 'camera';
      if (source === 'screen') {
        carriesScreen = true;
        screen.up += d;
        screen.bytesSent += bytes ?? 0;
        if (flowing) screen.encoders += 1;
      }
      layers.push({
        connectionId: conn.id,
        source,
        peerId: conn.peerId,
        rid: str(e.rid),
        kbps: rate(d),
        headerKbps: rate(dHeader),
        retransmittedKbps: rate(dRetransmitted),
        packetsPerSecond: ms > 0 ? Math.round((delta(packets, before?.packets) * 10_000) / ms) / 10 : null,
        width: num(e.frameWidth),
        height: num(e.frameHeight),
        fps: num(e.framesPerSecond),
        framesEncoded: num(e.framesEncoded),
        qualityLimitationReason: str(e.qualityLimitationReason),
        active: typeof e.active === 'boolean' ? e.active : null,
      });
    }
    for (const e of rtpEntries(conn.stats, 'inbound-rtp')) {
      const key = `${conn.id}|${String(e.id)}`;
      const bytes = num(e.bytesReceived);
      const lost = num(e.packetsLost);
      const received = num(e.packetsReceived);
      const header = num(e.headerBytesReceived);
      counters[key] = { bytes: bytes ?? 0, packetsLost: lost ?? 0, packetsReceived: received ?? 0, headerBytes: header ?? 0 };
      const before = previous?.counters[key];
      const d = delta(bytes, before?.bytes);
      protocol.downHeader += delta(header, before?.headerBytes);
      sums.down += d;
      sums.received += bytes ?? 0;
      const kind = kindOf(e);
      down[kind] += d;
      const isScreen = kind === 'video' && screenTracks.has(String(e.trackIdentifier));
      if (isScreen) screen.down += d;
      const peerId = peerOfInbound(conn, e);
      if (!peerId) continue;
      const acc = perPeer.get(peerId) ?? emptyPeer();
      acc.bytes += d;
      acc.totalBytes += bytes ?? 0;
      // Loss over the interval when this stream existed before, over the whole stream otherwise.
      acc.lost += before ? delta(lost, before.packetsLost) : (lost ?? 0);
      acc.received += before ? delta(received, before.packetsReceived) : (received ?? 0);
      // A share is its own line: the camera's numbers (fps, size, freezes) stay the camera's.
      if (isScreen) addScreen(acc, e, d);
      else if (kind === 'video') addVideo(acc, e);
      perPeer.set(peerId, acc);
    }
    totals.bytesSent += sums.sent;
    totals.bytesReceived += sums.received;
    if (conn.sending || sums.sent > 0) uploadConnections += 1;
    if (carriesScreen) screen.connections += 1;
    const wire = wireBytes(conn.stats);
    const wireKey = `${conn.id}|wire`;
    counters[wireKey] = { bytes: wire.sent ?? 0, bytesReceived: wire.received ?? 0 };
    const wireUp = delta(wire.sent, previous?.counters[wireKey]?.bytes);
    const wireDown = delta(wire.received, previous?.counters[wireKey]?.bytesReceived);
    protocol.upWire += wireUp;
    protocol.downWire += wireDown;
    const available = conn.sending ? num(selectedPair(conn.stats)?.pair.availableOutgoingBitrate) : null;
    connectionStats.push({
      id: conn.id,
      role: conn.role,
      peerId: conn.peerId,
      state: conn.state,
      ...selectedPath(conn.stats),
      availableOutgoingKbps: available === null ? null : Math.round(available / 1000),
      upKbps: rate(sums.up),
      downKbps: rate(sums.down),
      wireUpKbps: rate(wireUp),
      wireDownKbps: rate(wireDown),
      bytesSent: sums.sent,
      bytesReceived: sums.received,
    });
  }

  const listed = new Set(context.roster.map((p) => p.id));
  // Everyone in the roster, then anyone whose media arrives without being in it (shown, not hidden).
  const unlisted = [...perPeer.keys()].filter((id) => !listed.has(id)).map((id) => ({ id, name: id, inRoster: false }));
  const peers = [...context.roster.map((p) => ({ ...p, inRoster: true })), ...unlisted].map((p) =>
    peerSample(p, perPeer.get(p.id), rate),
  );

  return {
    timestamp: context.now,
    mode: context.mode,
    upload: { totalKbps: rate(up.audio + up.video), audioKbps: rate(up.audio), videoKbps: rate(up.video) },
    download: { totalKbps: rate(down.audio + down.video), audioKbps: rate(down.audio), videoKbps: rate(down.video) },
    activeEncoders,
    connections: raw.length,
    uploadConnections,
    totals,
    connectionStats,
    peers,
    layers,
    screen: {
      upKbps: rate(screen.up),
      encoders: screen.encoders,
      connections: screen.connections,
      bytesSent: screen.bytesSent,
      downKbps: rate(screen.down),
    },
    protocol: {
      upHeaderKbps: rate(protocol.upHeader),
      upAudioHeaderKbps: rate(protocol.upAudioHeader),
      upRetransmittedKbps: rate(protocol.upRetransmitted),
      downHeaderKbps: rate(protocol.downHeader),
      upWireKbps: rate(protocol.upWire),
      downWireKbps: rate(protocol.downWire),
    },
    pingRtt: { ...(context.pingRtt ?? {}) },
    counters,
  };
}

function addVideo(acc: PeerAcc, e: Record<string, unknown>): void {
  acc.framesDecoded = add(acc.framesDecoded, num(e.framesDecoded));
  acc.fps = num(e.framesPerSecond) ?? acc.fps;
  acc.width = num(e.frameWidth) ?? acc.width;
  acc.height = num(e.frameHeight) ?? acc.height;
  acc.freezeCount = add(acc.freezeCount, num(e.freezeCount));
  acc.freezeSeconds = add(acc.freezeSeconds, num(e.totalFreezesDuration));
  const jitter = num(e.jitter);
  if (jitter !== null) acc.jitterMs = Math.max(acc.jitterMs ?? 0, jitter * 1000);
}

function addScreen(acc: PeerAcc, e: Record<string, unknown>, bytes: number): void {
  const s = acc.screen ?? { framesDecoded: null, width: null, height: null, fps: null, kbps: null, bytes: 0 };
  s.framesDecoded = add(s.framesDecoded, num(e.framesDecoded));
  s.fps = num(e.framesPerSecond) ?? s.fps;
  s.width = num(e.frameWidth) ?? s.width;
  s.height = num(e.frameHeight) ?? s.height;
  s.bytes += bytes;
  acc.screen = s;
}

/**
 * The connection's transport-level bytes (SRTP, RTCP, ICE, DTLS; no IP/UDP headers): its transport
 * entries, or the selected candidate pair where a report has none.
 */
function wireBytes(stats: Record<string, unknown>[]): { sent: number | null; received: number | null } {
  const transports = stats.filter((s) => s.type === 'transport');
  const from = transports.length ? transports : [selectedPair(stats)?.pair].filter((p): p is Record<string, unknown> => !!p);
  if (!from.length) return { sent: null, received: null };
  return { sent: from.reduce((a, t) => a + (num(t.bytesSent) ?? 0), 0), received: from.reduce((a, t) => a + (num(t.bytesReceived) ?? 0), 0) };
}

/** The id of the track an outbound stream encodes (its media-source entry), when reported. */
function sourceTrack(stats: Record<string, unknown>[], outbound: Record<string, unknown>): string | null {
  const id = str(outbound.mediaSourceId);
  if (!id) return null;
  return str(stats.find((s) => s.id === id && s.type === 'media-source')?.trackIdentifier);
}

function peerSample(
  p: { id: string; name: string; inRoster: boolean },
  acc: PeerAcc | undefined,
  rate: (bytes: number) => number | null,
): RemotePeerSample {
  const packets = acc ? acc.lost + acc.received : 0;
  return {
    ...p,
    framesDecoded: acc?.framesDecoded ?? null,
    bytesReceived: acc?.totalBytes ?? 0,
    fps: acc?.fps ?? null,
    width: acc?.width ?? null,
    height: acc?.height ?? null,
    jitterMs: acc?.jitterMs ?? null,
    packetLossPct: acc && packets > 0 ? (acc.lost / packets) * 100 : null,
    freezeCount: acc?.freezeCount ?? null,
    freezeSeconds: acc?.freezeSeconds ?? null,
    kbps: acc ? rate(acc.bytes) : null,
    screen: acc?.screen ? { framesDecoded: acc.screen.framesDecoded, width: acc.screen.width, height: acc.screen.height, fps: acc.screen.fps, kbps: rate(acc.screen.bytes) } : null,
  };
}

function emptyPeer(): PeerAcc {
  return {
    bytes: 0, totalBytes: 0, lost: 0, received: 0, framesDecoded: null, fps: null, width: null, height: null,
    jitterMs: null, freezeCount: null, freezeSeconds: null, screen: null,
  };
}
