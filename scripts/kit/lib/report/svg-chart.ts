// A dependency-free SVG line chart (numeric x, y from 0) for the benchmark reports; a point may
// carry a range (lo..hi, e.g. the min–max over repeated runs), drawn as a vertical bar.

export interface ChartPoint {
  x: number;
  y: number;
  /** Optional range around y, drawn as an error bar with caps. */
  lo?: number;
  hi?: number;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  color: string;
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is >= v (v > 0); 1 for v <= 0. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= v - 1e-9 * mag) return m * mag;
  return 10 * mag;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 640;
  const H = spec.height ?? 360;
  const m = { left: 64, right: 150, top: 36, bottom: 48 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const pts = spec.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = [...new Set(pts.map((p) => p.x))].sort((a, b) => a - b);
  const xMin = xs[0] ?? 0;
  const xMax = xs.length > 1 ? xs[xs.length - 1] : xMin + 1;
  const yMax = niceCeil(Math.max(0, ...pts.map((p) => (p.hi !== undefined && Number.isFinite(p.hi) ? Math.max(p.y, p.hi) : p.y))));
  const sx = (x: number) => r1(m.left + ((x - xMin) / (xMax - xMin)) * pw);
  const sy = (y: number) => r1(m.top + ph - (y / yMax) * ph);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(
      `<line x1="${m.left}" y1="${sy(v)}" x2="${m.left + pw}" y2="${sy(v)}" stroke="#ddd"/>`,
      `<text x="${m.left - 6}" y="${sy(v) + 4}" text-anchor="end">${Number(v.toPrecision(6))}</text>`,
    );
  }
  for (const x of xs) {
    out.push(`<text x="${sx(x)}" y="${m.top + ph + 16}" text-anchor="middle">${x}</text>`);
  }
  out.push(
    `<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text x="16" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + ph / 2})">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const good = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (good.length > 0) {
      const d = good.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x)} ${sy(p.y)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
      for (const p of good) {
        if (p.lo !== undefined && p.hi !== undefined && Number.isFinite(p.lo) && Number.isFinite(p.hi) && p.hi > p.lo) {
          const x = sx(p.x);
          out.push(
            `<line x1="${x}" y1="${sy(p.lo)}" x2="${x}" y2="${sy(p.hi)}" stroke="${s.color}" stroke-width="1.5"/>`,
            `<line x1="${r1(x - 4)}" y1="${sy(p.lo)}" x2="${r1(x + 4)}" y2="${sy(p.lo)}" stroke="${s.color}" stroke-width="1.5"/>`,
            `<line x1="${r1(x - 4)}" y1="${sy(p.hi)}" x2="${r1(x + 4)}" y2="${sy(p.hi)}" stroke="${s.color}" stroke-width="1.5"/>`,
          );
        }
        out.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="3" fill="${s.color}"/>`);
      }
    }
    const ly = m.top + 10 + i * 20;
    out.push(
      `<line x1="${m.left + pw + 12}" y1="${ly}" x2="${m.left + pw + 36}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${m.left + pw + 42}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
