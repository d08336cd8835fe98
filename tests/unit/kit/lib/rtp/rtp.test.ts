// Byte-level tests for scripts/kit/lib/rtp/rtp.ts: the packets mediasoup must accept, and PLI/FIR spotting.
import { describe, expect, it } from 'vitest';
import { buildVp8Packet, hasKeyFrameRequest, isRtcp, rtpSsrc } from '../../../../../scripts/kit/lib/rtp/rtp';

const base = {
  payloadType: 101,
  sequenceNumber: 0x1_0005, // wraps to 5
  timestamp: 0x1_2345_6789, // wraps to 0x23456789
  ssrc: 0xdeadbeef,
  marker: true,
  startOfFrame: true,
  keyFrame: true,
  pictureId: 0x1234,
  payloadBytes: 1200,
};

describe('buildVp8Packet', () => {
  it('writes the RTP header fields', () => {
    const p = buildVp8Packet(base);
    expect(p.length).toBe(1212);
    expect(p[0]).toBe(0x80);
    expect(p[1]).toBe(0x80 | 101);
    expect(p.readUInt16BE(2)).toBe(5);
    expect(p.readUInt32BE(4)).toBe(0x23456789);
    expect(p.readUInt32BE(8)).toBe(0xdeadbeef);
    expect(rtpSsrc(p)).toBe(0xdeadbeef);
    expect(isRtcp(p)).toBe(false);
  });

  it('writes an extended VP8 descriptor with a 15-bit picture id', () => {
    const p = buildVp8Packet(base);
    expect([...p.subarray(12, 16)]).toEqual([0x90, 0x80, 0x80 | 0x12, 0x34]);
  });

  it('clears the inverse key-frame bit only on the first packet of a key frame', () => {
    expect(buildVp8Packet(base)[16] & 0x01).toBe(0);
    expect(buildVp8Packet({ ...base, keyFrame: false })[16] & 0x01).toBe(1);
    const middle = buildVp8Packet({ ...base, startOfFrame: false, marker: false });
    expect(middle[12]).toBe(0x80); // S=0
    expect(middle[1]).toBe(101); // no marker
    expect(middle[16] & 0x01).toBe(1);
  });

  it('refuses payloads too small for descriptor and frame header', () => {
    expect(() => buildVp8Packet({ ...base, payloadBytes: 8 })).toThrow(RangeError);
  });
});

describe('hasKeyFrameRequest', () => {
  const rr = [0x80, 201, 0x00, 0x01, 0, 0, 0, 1]; // empty receiver report, 2 words
  const pli = [0x81, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2];
  const fir = [0x84, 206, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0];
  const remb = [0x8f, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0];

  it('finds a PLI or FIR, also after another packet in a compound', () => {
    expect(hasKeyFrameRequest(Uint8Array.from(pli))).toBe(true);
    expect(hasKeyFrameRequest(Uint8Array.from([...rr, ...pli]))).toBe(true);
    expect(hasKeyFrameRequest(Uint8Array.from([...rr, ...fir]))).toBe(true);
  });

  it('ignores other feedback, receiver reports and RTP', () => {
    expect(hasKeyFrameRequest(Uint8Array.from([...rr, ...remb]))).toBe(false);
    expect(hasKeyFrameRequest(buildVp8Packet(base))).toBe(false);
    expect(rtpSsrc(Buffer.from(rr))).toBeNull();
  });
});
