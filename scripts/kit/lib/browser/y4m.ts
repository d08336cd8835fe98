// Tiny YUV4MPEG2 (4:2:0) writer for Chromium's --use-file-for-fake-video-capture: every participant
// gets its own colour and stripe pattern, numbered squares, and a moving bar so motion is visible.
// Content 'noise' overlays fresh seeded noise on every frame of that picture: the pattern alone is
// so cheap to code that VP8 sits at its minimum quantizer and the upload follows the picture; noise
// asks for more bits than the app's caps, so congestion control and the caps set the upload.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface Y4mOptions {
  width: number;
  height: number;
  fps: number;
  /** Length of the loop; Chromium replays the file from the start when it ends. */
  seconds: number;
  /** What the frames show (default 'pattern'). */
  content?: Y4mContent;
}

export const CONTENTS = ['pattern', 'noise'] as const;
export type Y4mContent = (typeof CONTENTS)[number];

/**
 * Peak noise added to each sample, uniform in ±amplitude. Measured with Chromium 156's VP8
 * (WebCodecs, 640x360@15, the pattern alone: under 250 kbps): ±12 luma takes about 16 Mbps when
 * the encoder may spend 20, and still 400 kbps scaled to the SFU's 160x90 thumbnail, far above the
 * 900 and 150 kbps caps, while at a 900 kbps target the encoder still meets it (at ±24 it falls
 * short, 850 kbps). Chroma gets less so the participant's colour stays plain.
 */
export const NOISE_AMPLITUDE = { luma: 12, chroma: 4 } as const;

// 640x360 is what the app asks getUserMedia for; at 320x240 Chromium would send only one simulcast layer.
export const DEFAULT_Y4M: Y4mOptions = { width: 640, height: 360, fps: 15, seconds: 4 };

/** Distinct, saturated background colours (RGB), one per participant index (cycled). */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [200, 40, 40],
  [40, 160, 60],
  [40, 70, 200],
  [210, 180, 30],
  [170, 50, 170],
  [30, 170, 180],
  [230, 120, 20],
  [110, 110, 110],
];

/** BT.601 full-range ("JPEG") RGB → YCbCr, each rounded and clamped to 0..255. */
export function rgbToYuv(r: number, g: number, b: number): [number, number, number] {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return [
    c(0.299 * r + 0.587 * g + 0.114 * b),
    c(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
    c(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
  ];
}

export function y4mHeader(o: Pick<Y4mOptions, 'width' | 'height' | 'fps'>): string {
  return `YUV4MPEG2 W${o.width} H${o.height} F${o.fps}:1 Ip A1:1 C420jpeg\n`;
}

/** Bytes of one frame record: "FRAME\n", the Y plane and the two quarter-size chroma planes. */
export function y4mFrameBytes(width: number, height: number): number {
  return 6 + width * height + 2 * (width / 2) * (height / 2);
}

export function frameCount(o: Y4mOptions): number {
  return Math.max(1, Math.round(o.fps * o.seconds));
}

function validate(o: Y4mOptions): void {
  if (!Number.isInteger(o.width) || !Number.isInteger(o.height) || o.width % 2 || o.height % 2 || o.width < 16 || o.height < 16) {
    throw new RangeError(`y4m size must be even integers >= 16, got ${o.width}x${o.height}`);
  }
  if (!Number.isInteger(o.fps) || o.fps < 1 || o.fps > 60) throw new RangeError(`y4m fps must be 1..60, got ${o.fps}`);
  if (!(o.seconds > 0 && o.seconds <= 30)) throw new RangeError(`y4m seconds must be within (0, 30], got ${o.seconds}`);
  if (o.content !== undefined) parseContent(o.content);
}

/** mulberry32: a tiny 32-bit PRNG, the same sequence for a seed on every machine; 32 random bits per call. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Seed of one frame's noise: from the participant and the frame within the loop, so the file loops. */
export function noiseSeed(index: number, frameInLoop: number): number {
  return (Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(frameInLoop + 1, 0x85ebca6b)) >>> 0;
}

/** Adds uniform noise in ±amplitude to every byte of `plane`; the clamped view keeps sums within 0..255. */
function addNoise(plane: Uint8ClampedArray, amplitude: number, next: () => number): void {
  const span = 2 * amplitude + 1;
  // Four noise samples per 32-bit draw: byte·span >> 8 maps a byte onto 0..span-1, each value (almost) equally often.
  for (let i = 0; i < plane.length; i += 4) {
    const r = next();
    for (let k = 0; k < 4 && i + k < plane.length; k++) plane[i + k] += (((r >>> (8 * k)) & 0xff) * span >> 8) - amplitude;
  }
}

/** One frame (with its FRAME marker) of participant `index` at frame number `frame`. */
export function renderFrame(o: Y4mOptions, index: number, frame: number): Buffer {
  const buf = renderPattern(o, index, frame);
  if ((o.content ?? 'pattern') === 'noise') {
    const ySize = o.width * o.height;
    const next = mulberry32(noiseSeed(index, frame % frameCount(o)));
    addNoise(new Uint8ClampedArray(buf.buffer, buf.byteOffset + 6, ySize), NOISE_AMPLITUDE.luma, next);
    addNoise(new Uint8ClampedArray(buf.buffer, buf.byteOffset + 6 + ySize, ySize / 2), NOISE_AMPLITUDE.chroma, next);
  }
  return buf;
}

function renderPattern(o: Y4mOptions, index: number, frame: number): Buffer {
  const { width: w, height: h } = o;
  const buf = Buffer.alloc(y4mFrameBytes(w, h));
  buf.write('FRAME\n', 0, 'ascii');
  const [r, g, b] = PALETTE[index % PALETTE.length];
  const bg = rgbToYuv(r, g, b);
  const stripe = rgbToYuv(r * 0.6, g * 0.6, b * 0.6);
  const white = rgbToYuv(255, 255, 255);
  const black = rgbToYuv(0, 0, 0);
  const frames = frameCount(o);
  const barW = Math.max(2, Math.floor(w / 16));
  const barX = Math.floor(((frame % frames) / frames) * (w - barW));
  const square = Math.max(4, Math.floor(h / 12));
  // Stripe direction and period differ per participant, so two similar colours still look apart.
  const period = 8 + 4 * (index % 4);
  const diagonal = Math.floor(index / 4) % 2 === 1;
  const pixel = (x: number, y: number): readonly number[] => {
    if (x >= barX && x < barX + barW) return white;
    const row = Math.floor(y / square);
    const col = Math.floor(x / square);
    // Row 1: index+1 black squares (with one-square gaps) identify the participant.
    if (row === 1 && col % 2 === 1 && (col - 1) / 2 <= index) return black;
    const s = diagonal ? x + y : y;
    return Math.floor(s / period) % 2 === 0 ? bg : stripe;
  };
  const ySize = w * h;
  const cw = w / 2;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) buf[6 + y * w + x] = pixel(x, y)[0];
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < cw; x++) {
      const p = pixel(2 * x, 2 * y);
      buf[6 + ySize + y * cw + x] = p[1];
      buf[6 + ySize + (w * h) / 4 + y * cw + x] = p[2];
    }
  }
  return buf;
}

/** Writes one participant's looping clip to `file`, frame by frame (no whole-file buffer). */
export function writeY4m(file: string, o: Y4mOptions, index: number): number {
  validate(o);
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    bytes += writeSync(fd, y4mHeader(o));
    for (let f = 0; f < frameCount(o); f++) bytes += writeSync(fd, renderFrame(o, index, f));
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** One clip per participant in `dir` (participant-1.y4m ...); returns their paths. */
export function writeParticipantVideos(dir: string, count: number, o: Y4mOptions = DEFAULT_Y4M): string[] {
  return Array.from({ length: count }, (_, i) => {
    const file = join(dir, `participant-${i + 1}.y4m`);
    writeY4m(file, o, i);
    return file;
  });
}

/** Parses a --content value: 'pattern' or 'noise'. */
export function parseContent(raw: string): Y4mContent {
  const c = CONTENTS.find((x) => x === raw.trim());
  if (!c) throw new RangeError(`video content must be one of ${CONTENTS.join(', ')}, got "${raw}"`);
  return c;
}

/** Parses "320x240@15" (fps optional) into width/height/fps. */
export function parseVideoSpec(spec: string): Pick<Y4mOptions, 'width' | 'height' | 'fps'> {
  const m = /^(\d+)x(\d+)(?:@(\d+))?$/.exec(spec.trim());
  if (!m) throw new RangeError(`--video must look like 320x240@15, got ${spec}`);
  return { width: Number(m[1]), height: Number(m[2]), fps: m[3] ? Number(m[3]) : DEFAULT_Y4M.fps };
}
