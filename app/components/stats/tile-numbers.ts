// The few numbers a video tile overlays, picked from the latest sample for one participant.
import type { SimulcastState } from '../../lib/call/engine';
import { layerOfHeight } from '../../lib/call/view-layers';
import type { Sample } from '../../lib/stats/sample';
import { kbpsText, msText } from './format';

/**
 * One line of text per tile: remote = fps, resolution, kbps, RTTs; local = upload and encoders. On
 * the SFU path also the simulcast layers: remote = the layer received (by its frame height) and the
 * one asked for by the tile's size; local = our camera's layers switched on (dynacast).
 */
export function tileNumbers(sample: Sample | null, peerId: string | null, simulcast: SimulcastState | null = null): string | null {
  if (!sample) return null;
  if (peerId === null) {
    // The largest camera layer we send (SFU simulcast sends a thumbnail too; the full one is what matters).
    const layer = sample.layers.filter((l) => l.width !== null && l.source !== 'screen').sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
    const res = layer ? ` · ${layer.width}×${layer.height}@${layer.fps ?? '—'}` : '';
    const camera = sample.layers.filter((l) => l.source !== 'screen' && l.rid !== null);
    const on = camera.filter((l) => l.active !== false).length;
    const layers = simulcast?.sending && camera.length ? ` · layers ${on}/${camera.length} on` : '';
    return `↑ ${kbpsText(sample.upload.totalKbps)} · ${sample.activeEncoders} enc${res}${layers}`;
  }
  const peer = sample.peers.find((p) => p.id === peerId);
  if (!peer) return null;
  // Mesh: this peer's own connection; SFU: the receive transport (the RTT is to the server).
  const conn = sample.connectionStats.find((c) => c.peerId === peerId) ?? sample.connectionStats.find((c) => c.role === 'recv');
  const asked = simulcast?.receiving[peerId];
  const layer = asked ? ` L${peer.height !== null ? layerOfHeight(peer.height) : '—'} (asked L${asked.spatialLayer})` : '';
  const res = peer.width !== null ? `${peer.width}×${peer.height}${layer}` : '—';
  return `${peer.fps ?? '—'} fps · ${res} · ${kbpsText(peer.kbps)} · pair ${msText(conn?.rttMs)} · ping ${msText(sample.pingRtt[peerId])}`;
}
