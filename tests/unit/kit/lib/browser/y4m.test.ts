// The Y4M generator writes what Chromium's file capture expects: a YUV4MPEG2 header and FRAME
// records of exactly width·height·1.5 bytes, with each participant's clip looking different; its
// 'noise' content is the same picture under seeded noise that changes every frame.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_Y4M,
  frameCount,
  mulberry32,
  NOISE_AMPLITUDE,
  parseContent,
  parseVideoSpec,
  renderFrame,
  rgbToYuv,
  writeParticipantVideos,
  y4mFrameBytes,
  y4mHeader,
  type Y4mOptions,
} from '../../../../../scripts/kit/lib/browser/y4m';

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

  it('keeps the pattern byte for byte as it was before content existed', () => {
    // Digests of the frames the generator wrote before 'noise' was added: existing benchmarks' videos must not change.
    const digest = (o: Y4mOptions) => {
      const h = createHash('sha256');
      for (let i = 0; i < 9; i++) for (const f of [0, 1, 7, 59]) h.update(renderFrame(o, i, f));
      return h.digest('hex');
    };
    expect(digest(DEFAULT_Y4M)).toBe('973c452a453c9ca7150c573f23835142ae441b6b6f53a6bedc7d3d7ad6d24650');
    expect(digest({ ...DEFAULT_Y4M, content: 'pattern' })).toBe('973c452a453c9ca7150c573f23835142ae441b6b6f53a6bedc7d3d7ad6d24650');
    expect(digest(small)).toBe('dfe8d94ba324cf3046266416d663a0e3a02d1a3a2d5447b635b8710799295260');
  });

  describe('noise', () => {
    const noisy = { ...DEFAULT_Y4M, content: 'noise' } as const;
    const ySize = noisy.width * noisy.height;
    /** Each byte's difference from the plain pattern, over one plane of frame `f` of participant `i`. */
    const deltas = (i: number, f: number, from: number, to: number) => {
      const n = renderFrame(noisy, i, f);
      const p = renderFrame(DEFAULT_Y4M, i, f);
      return Array.from(n.subarray(from, to), (v, k) => v - p[from + k]);
    };

    it('mulberry32 is a fixed sequence for a seed', () => {
      const a = mulberry32(1);
      // What the widely copied JavaScript mulberry32 gives for seed 1 (it scales to [0, 1), so do we here).
      expect([a(), a(), a()].map((v) => v / 2 ** 32)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
      const b = mulberry32(2);
      expect(b()).not.toBe(mulberry32(1)());
    });

    it('is the same for the same participant and frame, and loops with the clip', () => {
      expect(renderFrame(noisy, 1, 3).equals(renderFrame(noisy, 1, 3))).toBe(true);
      expect(renderFrame(noisy, 1, 3).equals(renderFrame(noisy, 1, 3 + frameCount(noisy)))).toBe(true);
      const [a] = writeParticipantVideos(dir, 1, { ...small, content: 'noise' });
      const first = readFileSync(a);
      writeParticipantVideos(dir, 1, { ...small, content: 'noise' });
      expect(readFileSync(a).equals(first)).toBe(true);
    });

    it('differs frame to frame and participant to participant, beyond the moving bar', () => {
      // Frame 0's and frame 1's noise compared as noise (pattern subtracted), so the bar does not count.
      const f0 = deltas(0, 0, 6, 6 + ySize);
      const f1 = deltas(0, 1, 6, 6 + ySize);
      const q0 = deltas(1, 0, 6, 6 + ySize);
      const same = (x: number[], y: number[]) => x.filter((v, k) => v === y[k]).length / x.length;
      // Independent noise of 2·12+1 values agrees on about 1 sample in 25 (a little more where clamped).
      expect(same(f0, f1)).toBeLessThan(0.1);
      expect(same(f0, q0)).toBeLessThan(0.1);
    });

    it('stays within ±amplitude of the pattern, uses that range, and the file within 0..255 with valid markers', () => {
      const luma = deltas(2, 5, 6, 6 + ySize);
      const chroma = deltas(2, 5, 6 + ySize, y4mFrameBytes(noisy.width, noisy.height));
      for (const [d, amp] of [[luma, NOISE_AMPLITUDE.luma], [chroma, NOISE_AMPLITUDE.chroma]] as const) {
        expect(d.reduce((m, v) => Math.min(m, v))).toBe(-amp);
        expect(d.reduce((m, v) => Math.max(m, v))).toBe(amp);
        // Roughly centred: uniform noise has a mean near 0 (clamping at black and white pulls it a little).
        expect(Math.abs(d.reduce((s, v) => s + v, 0) / d.length)).toBeLessThan(1);
      }
      const frame = renderFrame(noisy, 2, 5);
      expect(frame.subarray(0, 6).toString('ascii')).toBe('FRAME\n');
      // Black squares (0) and the white bar (255) are clamped, not wrapped round to the other end.
      const p = renderFrame(DEFAULT_Y4M, 2, 5);
      for (let k = 6; k < 6 + ySize; k++) {
        if (p[k] === 0) expect(frame[k]).toBeLessThanOrEqual(NOISE_AMPLITUDE.luma);
        if (p[k] === 255) expect(frame[k]).toBeGreaterThanOrEqual(255 - NOISE_AMPLITUDE.luma);
      }
    });
  });

  it('parses --content values and refuses others', () => {
    expect(parseContent('pattern')).toBe('pattern');
    expect(parseContent('noise')).toBe('noise');
    for (const bad of ['', 'Noise', 'random', 'noise,pattern']) expect(() => parseContent(bad)).toThrow(RangeError);
    expect(() => parseContent('random')).toThrow('video content must be one of pattern, noise, got "random"');
    expect(() => writeParticipantVideos(dir, 1, { ...small, content: 'random' as 'noise' })).toThrow(RangeError);
  });
});
