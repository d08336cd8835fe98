// The Y4M generator writes what Chromium's file capture expects: a YUV4MPEG2 header and FRAME
// records of exactly width·height·1.5 bytes, with each participant's clip looking different.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameCount, parseVideoSpec, renderFrame, rgbToYuv, writeParticipantVideos, y4mFrameBytes, y4mHeader } from '../../../../../scripts/kit/lib/browser/y4m';

const dir = mkdtempSync(join(tmpdir(), 'y4m-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { width: 32, height: 16, fps: 5, seconds: 1 };

describe('y4m', () => {
  it('writes the header and frame sizes Chromium parses', () => {
    expect(y4mHeader({ width: 320, height: 240, fps: 15 })).toBe('YUV4MPEG2 W320 H240 F15:1 Ip A1:1 C420jpeg\n');
    expect(y4mFrameBytes(320, 240)).toBe(6 + 76_800 + 38_400);
    expect(y4mFrameBytes(640, 360)).toBe(345_606);
    expect(frameCount({ width: 32, height: 16, fps: 15, seconds: 4 })).toBe(60);
  });

  it('writes a file of header + frames, each starting with FRAME', () => {
    const [a] = writeParticipantVideos(dir, 1, small);
    const header = y4mHeader(small);
    const frame = y4mFrameBytes(32, 16);
    expect(statSync(a).size).toBe(header.length + 5 * frame);
    const buf = readFileSync(a);
    expect(buf.subarray(0, header.length).toString('ascii')).toBe(header);
    for (let i = 0; i < 5; i++) {
      const at = header.length + i * frame;
      expect(buf.subarray(at, at + 6).toString('ascii')).toBe('FRAME\n');
    }
  });

  it('gives participants different pictures and moves the bar between frames', () => {
    const p0 = renderFrame(small, 0, 0);
    const p1 = renderFrame(small, 1, 0);
    expect(p0.length).toBe(y4mFrameBytes(32, 16));
    expect(p0.equals(p1)).toBe(false);
    expect(p0.equals(renderFrame(small, 0, 2))).toBe(false);
    // One full loop later the picture repeats, so the looped file has no jump.
    expect(p0.equals(renderFrame(small, 0, frameCount(small)))).toBe(true);
  });

  it('converts colours with BT.601 full range and parses --video specs', () => {
    expect(rgbToYuv(255, 255, 255)).toEqual([255, 128, 128]);
    expect(rgbToYuv(0, 0, 0)).toEqual([0, 128, 128]);
    expect(rgbToYuv(255, 0, 0)).toEqual([76, 85, 255]);
    expect(parseVideoSpec('640x480@30')).toEqual({ width: 640, height: 480, fps: 30 });
    expect(parseVideoSpec('320x240')).toEqual({ width: 320, height: 240, fps: 15 });
    expect(() => parseVideoSpec('big')).toThrow(RangeError);
    expect(() => writeParticipantVideos(dir, 1, { ...small, width: 33 })).toThrow(RangeError);
  });
});
