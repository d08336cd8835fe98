// Upload rates and layers recorded by the topology benchmark (`npm run bench:topology -- --min 2
// --max 6 --runs 3`, 2026-11-23, load average 17-81 from other work), trimmed from its topology.json:
// the 1-s upload rates two N=2 mesh participants and one N=2 SFU participant reported while the
// benchmark waited for them to settle (run 1), and one N=3 SFU participant's measured window.
import type { AppSample } from '../../../../../scripts/kit/lib/hooks';
import type { UploadTracePoint } from '../../../../../scripts/kit/lib/report/topology-report';

/** N=2 mesh, run 1: the step settled after 32 one-second samples (both participants steady). */
export const RECORDED_MESH_SETTLE: (number | null)[][] = [
  [null, 0, 564, 743, 905, 927, 1028, 902, 996, 838, 815, 1079, 494, 878, 952, 1424, 771, 1470, 924, 1016, 802, 908, 908, 938, 997, 907, 831, 920, 982, 915, 946],
  [null, 0, 639, 845, 656, 1161, 1068, 955, 790, 934, 752, 623, 157, 786, 1197, 1120, 642, 723, 427, 413, 292, 428, 409, 390, 405, 411, 463, 370, 388, 386, 385, 372],
];

/** N=2 SFU, run 1: the upload falls from ~500 to ~70 kbps as the full layer is switched off; never settled in 60 s. */
export const RECORDED_SFU_DECAY: (number | null)[] = [190, 446, 436, 509, 504, 472, 254, 434, 476, 347, 233, 319, 520, 405, 273, 253, 402, 458, 382, 396, 449, 309, 320, 138, 181, 87, 80, 91, 483, 87, 91, 94, 103, 99, 93, 94, 86, 114, 191, 218, 179, 92, 98, 109, 81, 78, 104, 109, 80, 70, 86, 80, 79, 72, 61, 50, 63];

/** N=3 SFU, run 1, participant p2: the 10 s window (full layer ~113 kbps, low ~75, audio ~25). */
export const RECORDED_SFU_WINDOW: UploadTracePoint[] = [
  {"timestamp": 1795431119573, "upload": {"totalKbps": 79.9, "audioKbps": 24.4, "videoKbps": 55.5}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 55.5, "width": 160, "height": 90, "qualityLimitationReason": "bandwidth"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 0, "width": null, "height": null, "qualityLimitationReason": "bandwidth"}]},
  {"timestamp": 1795431120522, "upload": {"totalKbps": 190.9, "audioKbps": 24.9, "videoKbps": 166}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 74.1, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 91.9, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431121523, "upload": {"totalKbps": 261.5, "audioKbps": 24.3, "videoKbps": 237.2}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 79.2, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 158, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431122522, "upload": {"totalKbps": 354.2, "audioKbps": 25, "videoKbps": 329.2}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 99.3, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 229.9, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431123527, "upload": {"totalKbps": 267.5, "audioKbps": 24.2, "videoKbps": 243.4}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 63.8, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 179.5, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431124524, "upload": {"totalKbps": 221.9, "audioKbps": 25, "videoKbps": 196.9}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 79.5, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 117.4, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431125523, "upload": {"totalKbps": 172.5, "audioKbps": 24.3, "videoKbps": 148.2}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 80.5, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 67.7, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431126527, "upload": {"totalKbps": 193.4, "audioKbps": 24.8, "videoKbps": 168.6}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 76.1, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 92.5, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431127529, "upload": {"totalKbps": 138.2, "audioKbps": 24.2, "videoKbps": 114}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 61.2, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 52.8, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431128522, "upload": {"totalKbps": 145.6, "audioKbps": 25.1, "videoKbps": 120.5}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 60.7, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 59.8, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
  {"timestamp": 1795431129524, "upload": {"totalKbps": 178.6, "audioKbps": 24.3, "videoKbps": 154.3}, "layers": [{"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r0", "kbps": 74.8, "width": 160, "height": 90, "qualityLimitationReason": "none"}, {"connectionId": "9bace74a-b459-415e-9f12-d8463a6c058c", "peerId": null, "rid": "r1", "kbps": 79.4, "width": 640, "height": 360, "qualityLimitationReason": "none"}]},
];

/** The trace as app samples (the fields layerRates reads; the rest empty). */
export function traceToSamples(trace: readonly UploadTracePoint[]): AppSample[] {
  return trace.map((t) => ({
    timestamp: t.timestamp,
    mode: 'sfu',
    upload: t.upload,
    download: { totalKbps: null, audioKbps: null, videoKbps: null },
    activeEncoders: t.layers.length,
    connections: 0,
    uploadConnections: 0,
    totals: { bytesSent: 0, bytesReceived: 0 },
    connectionStats: [],
    peers: [],
    layers: t.layers.map((l) => ({ ...l, source: l.source === 'screen' ? 'screen' : 'camera', fps: null, framesEncoded: null })),
    pingRtt: {},
  }));
}
