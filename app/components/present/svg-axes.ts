// Scales and ticks for the presentation's SVG charts: a round upper bound and evenly spaced ticks.

/** The smallest 1/2/5 x 10^k at or above v (at least 1), so axis labels read as round numbers. */
export function roundUp(v: number): number {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * power >= v) ?? 10) * power;
}

export function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Maps data to pixels inside a frame's plot area. */
export function scale(frame: Frame, xMin: number, xMax: number, yMax: number) {
  const w = frame.width - frame.left - frame.right;
  const h = frame.height - frame.top - frame.bottom;
  return {
    x: (v: number) => frame.left + ((v - xMin) / (xMax - xMin || 1)) * w,
    y: (v: number) => frame.top + h - (Math.min(v, yMax) / yMax) * h,
  };
}

export const SESSION_COLORS = ['#f3b548', '#5b8cff', '#35c77c', '#ef4b5b', '#8a6bff', '#3fc1d9'];
