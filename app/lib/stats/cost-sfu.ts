// The SFU side of the cost model. We upload one stream set: b per simulcast layer as our encoder
// sends it. Each row compares the browser's view with mediasoup's at the same level: our layers
// (RTP) against what the SFU receives of each, our transports against its (wire), our stream as
// forwarded to each receiver, and the room's egress: Σ over every consumer of the layer it
// forwards, at that layer's rate as its sender encodes it (the SFU's per-layer receive rate).
import { browserSteady, compare, overheadLine, participants, sum, uploadOverhead, type CostReport, type CostRow } from './cost-rows';
import { latestServerWindow, measuredAt, moved, samplesBetween, STEADY_MOVE, sumRates, windowMean, type ServerCounter, type ServerWindow } from './cost-window';
import type { Sample } from './sample';
import type { ServerAnswer } from './sharing';

const layerKey = (source: string, rid: string | null | undefined) => `${source}|${rid ?? ''}`;

/**
 * RTP header bytes per packet of our video without padding: the smallest header/packet ratio of any
 * video layer and second in the window. Chromium counts padding (bandwidth probes, sent as empty
 * RTX packets) in headerBytesSent; the SFU drops those packets from its per-layer counts.
 */
function videoHeaderPerPacket(window: readonly Sample[]): number | null {
  let min: number | null = null;
  for (const s of window.slice(1)) {
    for (const l of s.layers) {
      if (!l.packetsPerSecond || l.headerKbps === null || l.headerKbps === undefined) continue;
      const perPacket = (l.headerKbps * 125) / l.packetsPerSecond;
      if (perPacket > 0 && (min === null || perPacket < min)) min = perPacket;
    }
  }
  return min;
}

/**
 * Our encodings over a window, per source|rid (audio as `mic|`): payload, and media RTP (payload +
 * one header per packet, padding left out: see videoHeaderPerPacket).
 */
function ourLayers(window: readonly Sample[]): Map<string, { label: string; payload: number | null; rtp: number | null }> {
  const out = new Map<string, { label: string; payload: number | null; rtp: number | null }>();
  const last = window.at(-1);
  const header = videoHeaderPerPacket(window);
  for (const l of last?.layers ?? []) {
    const key = layerKey(l.source ?? 'camera', l.rid);
    const pick = (s: Sample) => s.layers.find((x) => layerKey(x.source ?? 'camera', x.rid) === key && x.connectionId === l.connectionId);
    const payload = windowMean(window, (s) => pick(s)?.kbps);
    const pps = windowMean(window, (s) => pick(s)?.packetsPerSecond);
    const headers = header === null || pps === null ? windowMean(window, (s) => pick(s)?.headerKbps) : (header * pps) / 125;
    const size = l.width && l.height ? ` ${l.width}×${l.height}` : '';
    out.set(key, { label: `${l.source ?? 'camera'}${l.rid ? ` ${l.rid}` : ''}${size}`, payload, rtp: sum([payload, headers]) });
  }
  const audio = windowMean(window, (s) => s.upload.audioKbps);
  if (audio !== null && audio > 0) out.set('mic|', { label: 'microphone', payload: audio, rtp: sum([audio, windowMean(window, (s) => s.protocol?.upAudioHeaderKbps)]) });
  // camera layers by rid (lowest first), then the microphone, then a screen share.
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** The key of our layer a server counter stands for (producer source + rid; audio is the mic). */
const keyOf = (c: ServerCounter) => (c.kind === 'audio' ? 'mic|' : layerKey(c.source ?? 'camera', c.rid));

/** Steady on the SFU side: nothing forwarded started, stopped or switched layer, and the room's egress held. */
function serverSteady(w: ServerWindow | null, previous: ServerWindow | null, bw: readonly Sample[]): string | null {
  if (!w) return 'waiting for two SFU measurements';
  if (bw.length < 3) return 'waiting for browser samples inside the SFU window';
  if (w.changed.length) return `the SFU started, stopped or switched ${w.changed.length} forwarded stream${w.changed.length === 1 ? '' : 's'}`;
  if (!previous) return 'waiting for a second SFU window';
  const egress = (x: ServerWindow) => sumRates(x, (k) => k.startsWith('consumer:'));
  const m = moved(egress(previous), egress(w));
  if (m !== null && m >= STEADY_MOVE) return `SFU egress moved ${Math.round(m * 100)} % between its last two windows`;
  return null;
}

export function sfuReport(selfId: string, samples: readonly Sample[], server: readonly ServerAnswer[]): CostReport {
  const last = samples.at(-1)!;
  const n = participants(last);
  const w = latestServerWindow(server);
  const previous = w ? latestServerWindow(server, server.indexOf(w.from)) : null;
  // The browser's numbers over the SFU's window, so both sides count the same seconds.
  const bw = w ? samplesBetween(samples, measuredAt(w.from), measuredAt(w.to)) : samples.slice(-6);
  const settling = browserSteady(samples) ?? serverSteady(w, previous, bw);
  const steady = settling === null;
  const ours = ourLayers(bw);
  const names = Object.fromEntries(last.peers.map((p) => [p.id, p.name]));
  const rate = (key: string) => (w ? (w.rates.get(key) ?? null) : null);
  const serverSum = (keep: (key: string, c: ServerCounter) => boolean) => (w ? sumRates(w, keep) : null);
  const rows: CostRow[] = [];

  // Our upload: each of our encodings as we send it, against what the SFU receives of it.
  const ourStreams = (key: string, c: ServerCounter) => key.startsWith('stream:') && c.peerId === selfId;
  const layerRows = [...ours].map(([key, layer]) =>
    compare({ id: `layer-${key.replace('|', '-').replace(/-$/, '')}`, group: 'upload', label: layer.label, source: 'our outbound-rtp bytes + one header per packet (no padding) → mediasoup producer stream bytes' },
      { level: 'rtp', kbps: layer.rtp }, { level: 'rtp', kbps: serverSum((k, c) => ourStreams(k, c) && keyOf(c) === key) }, steady));
  // All of our RTP (media, retransmissions, padding) against all the SFU's transports take in as RTP.
  const ourRtp = sum([windowMean(bw, (s) => s.upload.totalKbps), windowMean(bw, (s) => s.protocol?.upHeaderKbps)]);
  rows.push(
    compare({ id: 'upload', group: 'upload', label: 'Our upload: one stream set, all RTP', source: 'Σ our outbound-rtp bytes + header bytes → mediasoup transports’ RTP + RTX bytes received from us' },
      { level: 'rtp', kbps: ourRtp }, { level: 'rtp', kbps: serverSum((k) => k === `peer:${selfId}:rtpIn` || k === `peer:${selfId}:rtxIn`) }, steady),
    ...layerRows,
    compare({ id: 'upload-wire', group: 'upload', label: 'Our upload on the wire', source: 'our transports’ bytesSent → mediasoup transports’ bytesReceived' },
      { level: 'wire', kbps: windowMean(bw, (s) => s.protocol?.upWireKbps) }, { level: 'wire', kbps: rate(`peer:${selfId}:in`)?.kbps ?? null }, steady),
  );

  // Our stream as the SFU forwards it to each receiver: the layer it picked, at our rate for that layer.
  const consumers = w ? [...w.rates].filter(([k]) => k.startsWith('consumer:')).map(([, c]) => c) : [];
  const producerSource = new Map<string, string>();
  for (const [k, c] of w?.rates ?? []) if (k.startsWith('stream:') && c.producerId && c.source) producerSource.set(c.producerId, c.source);
  const receivers = [...new Set(consumers.filter((c) => c.producerPeerId === selfId).map((c) => c.peerId))];
  for (const receiver of receivers) {
    const ofOurs = consumers.filter((c) => c.peerId === receiver && c.producerPeerId === selfId);
    const key = (c: ServerCounter) => (c.kind === 'audio' ? 'mic|' : layerKey(producerSource.get(c.producerId ?? '') ?? 'camera', c.rid));
    // A paused consumer, or a simulcast one forwarding no layer (rid null), should carry nothing.
    const expected = sum(ofOurs.map((c) => (c.paused ? 0 : (ours.get(key(c))?.rtp ?? (c.kind === 'video' && c.rid === null ? 0 : null)))));
    const layers = ofOurs.filter((c) => c.kind === 'video').map((c) => (c.paused ? 'paused' : (c.rid ?? 'single'))).join(', ');
    rows.push(compare({ id: `link-${receiver}`, group: 'links', label: `→ ${names[receiver] ?? receiver}: our ${layers || 'audio'}${ofOurs.some((c) => c.kind === 'audio') ? ' + mic' : ''}`, source: 'our layer as we send it (RTP) → mediasoup consumer bytes to them' },
      { level: 'rtp', kbps: expected }, { level: 'rtp', kbps: sum(ofOurs.map((c) => c.kbps)) }, steady));
  }

  // The room's egress: every consumer forwards one layer of one sender at that sender's rate.
  const streamRate = (c: ServerCounter) => (c.paused ? 0 : (rate(`stream:${c.producerId}:${c.rid ?? ''}`)?.kbps ?? (c.kind === 'video' && c.rid === null ? 0 : null)));
  // Consumers of producers this node does not hold (piped from another node) have no sender rate here: left out of both sides.
  const known = consumers.filter((c) => streamRate(c) !== null);
  const video = known.filter((c) => c.kind === 'video').length;
  const elsewhere = consumers.length - known.length;
  rows.push(
    compare({ id: 'egress', group: 'egress', label: `SFU egress: ${video} video streams (N·(N-1) = ${n * (n - 1)}), one layer each${elsewhere ? `; ${elsewhere} from other nodes left out` : ''}`, source: 'Σ per consumer: its sender’s layer as the SFU receives it (RTP) → Σ consumer bytes (RTP)' },
      { level: 'rtp', kbps: w ? sum(known.map(streamRate)) : null }, { level: 'rtp', kbps: w ? sum(known.map((c) => c.kbps)) : null }, steady),
    compare({ id: 'download-wire', group: 'egress', label: 'SFU → us on the wire', source: 'mediasoup transports’ bytesSent to us → our transports’ bytesReceived' },
      { level: 'wire', kbps: rate(`peer:${selfId}:out`)?.kbps ?? null }, { level: 'wire', kbps: windowMean(bw, (s) => s.protocol?.downWireKbps) }, steady),
  );

  const peerSum = (name: string) => serverSum((k) => k.startsWith('peer:') && k.endsWith(`:${name}`));
  const rtpOut = sum(consumers.map((c) => c.kbps));
  const rtx = peerSum('rtxOut');
  const probe = peerSum('probe');
  const wireOut = peerSum('out');
  const transportRtp = sum([peerSum('rtpOut'), rtx, probe]);
  return {
    mode: 'sfu',
    n,
    steady,
    settling,
    b: [...ours].map(([, l]) => ({ label: l.label, kbps: l.payload })),
    rows,
    overhead: [
      uploadOverhead(bw, 'Our upload (browser)'),
      overheadLine('egress', 'SFU egress, whole room (mediasoup)', [
        { label: 'RTP forwarded', kbps: rtpOut },
        { label: 'retransmissions', kbps: rtx },
        { label: 'bandwidth probes', kbps: probe },
        { label: 'RTCP, SRTP, ICE, DTLS, data', kbps: wireOut === null || transportRtp === null ? null : Math.round((wireOut - transportRtp) * 10) / 10 },
      ], wireOut),
    ],
  };
}
