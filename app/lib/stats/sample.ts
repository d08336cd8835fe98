// The one normalized stats sample both call modes produce once per second (see normalize.ts):
// per-interval rates for charts, and cumulative totals for QA tools, from one pass over the reports.
import type { Mode } from '../../../signaling/protocol';
import type { ConnectionPath } from './reports';

export interface Rate {
  /** kbps over the interval since the previous sample; null on the first sample (no interval yet). */
  totalKbps: number | null;
  audioKbps: number | null;
  videoKbps: number | null;
}

export interface ConnectionSample extends ConnectionPath {
  id: string;
  /** peer: a mesh connection to one participant; send/recv: an SFU transport. */
  role: 'peer' | 'send' | 'recv';
  peerId: string | null;
  state: string;
  /** Only on connections that send media (the pair's estimate means nothing on a receive-only one). */
  availableOutgoingKbps: number | null;
  upKbps: number | null;
  downKbps: number | null;
  /**
   * The connection's transport (wire) rate: SRTP packets with RTCP, ICE and DTLS, without IP/UDP
   * headers. Absent in samples older than the cost model's like-for-like check.
   */
  wireUpKbps?: number | null;
  wireDownKbps?: number | null;
  /** Cumulative RTP bytes on this connection (every stream and simulcast layer). */
  bytesSent: number;
  bytesReceived: number;
}

export interface RemotePeerSample {
  id: string;
  name: string;
  /** False: media arrives from a peer the page's roster does not list (a roster gap worth flagging). */
  inRoster: boolean;
  /** Cumulative, over the streams we receive from this peer now. */
  framesDecoded: number | null;
  bytesReceived: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  jitterMs: number | null;
  /** Lost / (lost + received) over the interval (over the whole call on the first sample), %. */
  packetLossPct: number | null;
  /** Cumulative freezes and their total duration (s), where the browser reports them. */
  freezeCount: number | null;
  freezeSeconds: number | null;
  kbps: number | null;
  /**
   * The screen this peer shares, as we receive it; null when none arrives (absent in samples older
   * than shares). Apart from the camera fields above; its bytes are in kbps/bytesReceived.
   */
  screen?: ScreenReceived | null;
}

export interface ScreenReceived {
  /** Cumulative frames decoded from the share. */
  framesDecoded: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  kbps: number | null;
}

/** What a screen share costs, ours and the others' (both are part of the video rates above). */
export interface ScreenSample {
  /** Our share's upload over every connection: in mesh one copy per peer, in SFU one. */
  upKbps: number | null;
  /** Our share's outbound encodings with bytes flowing (mesh: N-1; SFU: 1). */
  encoders: number;
  /** Connections carrying our share (mesh: one per peer; SFU: the send transport). */
  connections: number;
  /** Cumulative bytes of our share over the current connections. */
  bytesSent: number;
  /** The shares we receive from the others. */
  downKbps: number | null;
}

export interface LayerSample {
  connectionId: string;
  /** What this encoding carries: our camera or our screen share (absent in samples older than shares: camera). */
  source?: 'camera' | 'screen';
  /** Mesh: the peer this copy goes to; SFU: null (the server forwards it). */
  peerId: string | null;
  /** Simulcast layer id (SFU), null for a single encoding (mesh). */
  rid: string | null;
  /** Payload (outbound-rtp bytesSent, retransmissions included; no RTP headers, no padding). */
  kbps: number | null;
  /** RTP headers and padding of this encoding, and the retransmitted part of its payload. */
  headerKbps?: number | null;
  retransmittedKbps?: number | null;
  /** RTP packets per second of this encoding (media, retransmissions and padding-only packets). */
  packetsPerSecond?: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Cumulative frames this encoding produced. */
  framesEncoded: number | null;
  qualityLimitationReason: string | null;
  /** The encoding is switched on (false: an SFU layer nobody needs, dynacast); null where not reported. */
  active?: boolean | null;
}

export interface Sample {
  /** ms since the epoch */
  timestamp: number;
  mode: Mode;
  upload: Rate;
  download: Rate;
  /** Outbound video streams (every simulcast layer, every mesh copy) with bytes flowing. */
  activeEncoders: number;
  connections: number;
  /** Connections carrying our media (mesh: one per peer we send to; SFU: the send transport). */
  uploadConnections: number;
  /** Cumulative RTP bytes over the current connections (what getStats() reports). */
  totals: { bytesSent: number; bytesReceived: number };
  connectionStats: ConnectionSample[];
  peers: RemotePeerSample[];
  layers: LayerSample[];
  /**
   * Screen shares, ours and the others', as their own line (their bytes are in upload/download
   * too). Always set by normalize; absent in exports older than shares.
   */
  screen?: ScreenSample;
  /**
   * What rides with the payload that upload/download count, as its own line (kbps): RTP headers and
   * padding (audio's apart, for per-producer checks), retransmitted payload, and the transport
   * (wire) rate of all connections. Always set by normalize; absent in older exports.
   */
  protocol?: ProtocolSample;
  /** Peer-to-peer ping over the call's own path, per remote peer id (ms). */
  pingRtt: Record<string, number | null>;
  /** Cumulative counters keyed by connection id + stats id: the next sample's deltas start here. */
  counters: Record<string, Counter>;
}

export interface ProtocolSample {
  upHeaderKbps: number | null;
  upAudioHeaderKbps: number | null;
  upRetransmittedKbps: number | null;
  downHeaderKbps: number | null;
  upWireKbps: number | null;
  downWireKbps: number | null;
}

export interface Counter {
  bytes: number;
  headerBytes?: number;
  retransmittedBytes?: number;
  packets?: number;
  /** Wire counters (key `<connection>|wire`): bytes holds what was sent, this what was received. */
  bytesReceived?: number;
  packetsLost?: number;
  packetsReceived?: number;
}

export interface NormalizeContext {
  mode: Mode;
  /** ms since the epoch when the reports were taken */
  now: number;
  roster: { id: string; name: string }[];
  pingRtt?: Record<string, number | null>;
}
