// Tiny YUV4MPEG2 (4:2:0) writer for Chromium's --use-file-for-fake-video-capture: every participant
// gets its own colour and stripe pattern, numbered squares, and a moving bar so motion is visible.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface Y4mOptions {
  width: number;
  height: number;
  fps: number;
  /** Length of the loop; Chromium replays the file from the start when it ends. */
  seconds: number;
}

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
}

/** One frame (with its FRAME marker) of participant `index` at frame number `frame`. */
export function renderFrame(o: Y4mOptions, index: number, frame: number): Buffer {
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

/** Parses "320x240@15" (fps optional) into width/height/fps. */
export function parseVideoSpec(spec: string): Pick<Y4mOptions, 'width' | 'height' | 'fps'> {
  const m = /^(\d+)x(\d+)(?:@(\d+))?$/.exec(spec.trim());
  if (!m) throw new RangeError(`--video must look like 320x240@15, got ${spec}`);
  return { width: Number(m[1]), height: Number(m[2]), fps: m[3] ? Number(m[3]) : DEFAULT_Y4M.fps };
}
