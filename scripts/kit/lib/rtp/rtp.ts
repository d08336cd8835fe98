// Pure RTP/RTCP byte helpers for the synthetic-media benchmarks: building VP8 RTP packets that
// mediasoup parses (and recognises as key frames when asked), and spotting PLI/FIR in RTCP.

export const RTP_HEADER_BYTES = 12;
/** Extended VP8 payload descriptor with a 15-bit picture id (RFC 7741 §4.2): 4 bytes. */
export const VP8_DESCRIPTOR_BYTES = 4;

export interface Vp8PacketFields {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  /** First packet of a frame (VP8 S bit, partition 0). */
  startOfFrame: boolean;
  /** Only meaningful with startOfFrame: the VP8 frame tag's inverse key-frame bit is cleared. */
  keyFrame: boolean;
  pictureId: number;
  /** Payload bytes after the RTP header, descriptor included. */
  payloadBytes: number;
}

/**
 * One well-formed RTP packet (V=2, no CSRC, no extensions, no padding) carrying a VP8 payload.
 * mediasoup ignores VP8 payloads without the extended descriptor, and calls a packet a key frame
 * when S=1, partition 0 and the first VP8 header byte has its P (inter-frame) bit clear.
 */
export function buildVp8Packet(f: Vp8PacketFields): Buffer {
  const minPayload = VP8_DESCRIPTOR_BYTES + 10;
  if (f.payloadBytes < minPayload) throw new RangeError(`payloadBytes must be >= ${minPayload}`);
  const buf = Buffer.alloc(RTP_HEADER_BYTES + f.payloadBytes);
  buf[0] = 0x80;
  buf[1] = (f.marker ? 0x80 : 0) | (f.payloadType & 0x7f);
  buf.writeUInt16BE(f.sequenceNumber & 0xffff, 2);
  buf.writeUInt32BE(f.timestamp >>> 0, 4);
  buf.writeUInt32BE(f.ssrc >>> 0, 8);
  let o = RTP_HEADER_BYTES;
  buf[o++] = 0x80 | (f.startOfFrame ? 0x10 : 0); // X=1, S, PID=0
  buf[o++] = 0x80; // I: picture id present
  buf[o++] = 0x80 | ((f.pictureId >> 8) & 0x7f); // M=1: 15-bit picture id
  buf[o++] = f.pictureId & 0xff;
  if (f.startOfFrame && f.keyFrame) {
    // Frame tag (P=0, version 0, show_frame=1), start code, 640x360.
    buf.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01], o);
  } else {
    buf[o] = 0x11; // P=1: inter frame
  }
  return buf;
}

/** RFC 5761 demultiplexing: with rtcp-mux, RTCP packet types 192..223 sit where RTP's M+PT is. */
export function isRtcp(packet: Uint8Array): boolean {
  return packet.length >= 8 && packet[1] >= 192 && packet[1] <= 223;
}

/** True when a (compound) RTCP packet holds a PLI (PSFB FMT 1) or FIR (PSFB FMT 4). */
export function hasKeyFrameRequest(packet: Uint8Array): boolean {
  if (!isRtcp(packet)) return false;
  let o = 0;
  while (o + 4 <= packet.length) {
    const fmt = packet[o] & 0x1f;
    const pt = packet[o + 1];
    if (pt === 206 && (fmt === 1 || fmt === 4)) return true;
    const words = (packet[o + 2] << 8) | packet[o + 3];
    o += (words + 1) * 4;
  }
  return false;
}

/** The SSRC of an RTP packet, or null when it is RTCP or too short to be RTP. */
export function rtpSsrc(packet: Buffer): number | null {
  if (packet.length < RTP_HEADER_BYTES || isRtcp(packet)) return null;
  return packet.readUInt32BE(8);
}
