// The synthetic benchmark's packetizer (scripts/kit/lib/rtp/rtp-streams.ts) and stream sets
// (synthetic-sfu.ts): frame sizes, rates on the wire, key frames, sender reports, the app's caps.
import { describe, expect, it } from 'vitest';
import { SIMULCAST_LAYERS, VIDEO_MAX_BITRATE } from '../../../../../app/lib/call/video-encodings';
import { hasKeyFrameRequest, isRtcp, rtpSsrc } from '../../../../../scripts/kit/lib/rtp/rtp';
import { buildOpusPacket, buildSenderReport, framePacketSizes, RtpStream, wireKbps } from '../../../../../scripts/kit/lib/rtp/rtp-streams';
import { APP_FULL_LAYER_CAP_KBPS, APP_LOW_LAYER_KBPS, meshStreams, sfuStreams } from '../../../../../scripts/kit/lib/rtp/synthetic-sfu';

const full = { kind: 'video' as const, label: 'full', ssrc: 0x1234, payloadType: 101, kbps: 600, fps: 15 };
const isKey = (p: Buffer) => (p[12 + 4] & 0x01) === 0 && (p[12] & 0x10) !== 0;

describe('framePacketSizes and wireKbps', () => {
  it('splits a frame evenly under 1200 bytes of payload', () => {
    expect(framePacketSizes(full)).toEqual([1000, 1000, 1000, 1000, 1000]); // 600 kbps / 15 fps = 5000 B
    expect(framePacketSizes({ kind: 'video', kbps: 150, fps: 15 })).toEqual([625, 625]);
    expect(framePacketSizes({ kind: 'video', kbps: 100, fps: 30 })).toEqual([417]);
    expect(framePacketSizes({ kind: 'audio', kbps: 32, fps: 50 })).toEqual([80]);
  });

  it('adds the RTP headers to the payload rate', () => {
    expect(wireKbps(full)).toBeCloseTo(600 + (5 * 12 * 8 * 15) / 1000, 6);
    expect(wireKbps({ kind: 'audio', kbps: 32, fps: 50 })).toBeCloseTo(32 + (12 * 8 * 50) / 1000, 6);
  });
});

describe('RtpStream', () => {
  it('numbers packets contiguously, marks the last of a frame and keeps one timestamp per frame', () => {
    const s = new RtpStream(full);
    const a = s.nextFrame();
    const b = s.nextFrame();
    expect(a).toHaveLength(5);
    const seqs = [...a, ...b].map((p) => p.readUInt16BE(2));
    seqs.forEach((q, i) => expect(q).toBe((seqs[0] + i) & 0xffff));
    expect(a.map((p) => p[1] >> 7)).toEqual([0, 0, 0, 0, 1]);
    expect(new Set(a.map((p) => p.readUInt32BE(4))).size).toBe(1);
    expect((b[0].readUInt32BE(4) - a[0].readUInt32BE(4)) >>> 0).toBe(6000);
    expect(a.every((p) => rtpSsrc(p) === 0x1234)).toBe(true);
    expect(s.packets).toBe(10);
    expect(s.bytes).toBe(10 * 1012);
  });

  it('starts with a key frame and sends another when asked', () => {
    const s = new RtpStream(full);
    expect(isKey(s.nextFrame()[0])).toBe(true);
    expect(isKey(s.nextFrame()[0])).toBe(false);
    s.requestKeyFrame();
    expect(isKey(s.nextFrame()[0])).toBe(true);
  });

  it('makes Opus-like audio packets and sender reports mediasoup can read', () => {
    const audio = new RtpStream({ kind: 'audio', label: 'audio', ssrc: 7, payloadType: 111, kbps: 32, fps: 50 });
    const [p] = audio.nextFrame();
    expect(p.length).toBe(92);
    expect(p[1] & 0x7f).toBe(111);
    expect(isRtcp(p)).toBe(false);
    const sr = audio.senderReport(1000, Date.UTC(2026, 0, 1));
    expect(sr.length).toBe(28);
    expect(sr[1]).toBe(200);
    expect(isRtcp(sr)).toBe(true);
    expect(hasKeyFrameRequest(sr)).toBe(false);
    expect(sr.readUInt32BE(4)).toBe(7);
    expect(sr.readUInt32BE(20)).toBe(1); // packets
    expect(sr.readUInt32BE(24)).toBe(80); // payload octets
    expect(buildSenderReport({ ssrc: 1, wallMs: 500, rtpTimestamp: 0, packets: 0, octets: 0 }).readUInt32BE(12)).toBe(0x8000_0000);
    expect(buildOpusPacket({ payloadType: 111, sequenceNumber: 0x1_0001, timestamp: 0, ssrc: 9, payloadBytes: 80 }).readUInt16BE(2)).toBe(1);
  });
});

describe('stream sets', () => {
  it("use the app's caps for the low layer and as the full layer's ceiling", () => {
    expect(APP_LOW_LAYER_KBPS * 1000).toBe(SIMULCAST_LAYERS[0].maxBitrate);
    expect(APP_FULL_LAYER_CAP_KBPS * 1000).toBe(VIDEO_MAX_BITRATE);
  });

  it('SFU: audio, low, full once; mesh: audio and full per copy, every SSRC distinct', () => {
    const rates = { audioKbps: 32, lowKbps: 150, fullKbps: 600, videoFps: 15 };
    expect(sfuStreams(0, rates).map((s) => [s.label, s.kbps])).toEqual([['audio', 32], ['low', 150], ['full', 600]]);
    expect(meshStreams(0, 1, rates).map((s) => s.label)).toEqual(['audio', 'full']);
    const ssrcs = [...Array.from({ length: 16 }, (_, i) => sfuStreams(i, rates)), ...Array.from({ length: 16 * 16 }, (_, k) => meshStreams(k >> 4, k & 15, rates))].flat().map((s) => s.ssrc);
    expect(new Set(ssrcs).size).toBe(ssrcs.length);
  });
});
