// The topology benchmark's human report: Markdown with the per-(N, mode) table (medians over runs
// with min–max), the mesh/SFU upload ratio against the cost model with the reasons for any miss,
// the knees with their rule, and SVG charts (upload, ratio, fps, CPU vs N, bars = min–max). Pure.
import type { Spread } from '../measure/spread';
import { type ChartPoint, lineChart } from './svg-chart';
import { formatKnee, kneeOf, markdownRows, markdownTable, ratioHeader, ratioRows, ratioTableRows, type RatioRow, type StepAggregate, type StepSummary, aggregateRuns } from './topology-report';

const point = (x: number, s: Spread): ChartPoint => ({ x, y: s.median, lo: s.min, hi: s.max });

export interface TopologyCharts {
  uploadSvg: string;
  ratioSvg: string;
  fpsSvg: string;
  cpuSvg: string;
}

export function charts(aggregates: readonly StepAggregate[], ratios: readonly RatioRow[]): TopologyCharts {
  const pts = (mode: string, pick: (a: StepAggregate) => Spread) => aggregates.filter((a) => a.mode === mode).map((a) => point(a.n, pick(a)));
  const ns = [...new Set(aggregates.map((a) => a.n))].sort((x, y) => x - y);
  // Mesh upload the model expects: N−1 copies at the SFU's full layer plus audio, per N where measured.
  const meshModel = ratios
    .filter((r) => Number.isFinite(r.highKbps.median))
    .map((r) => ({ x: r.n, y: (r.n - 1) * (r.highKbps.median + (Number.isFinite(r.audioKbps.median) ? r.audioKbps.median : 0)) }));
  const uploadSvg = lineChart({
    title: 'Upload per participant vs N (median, bars: min–max over runs)',
    xLabel: 'participants (N)',
    yLabel: 'upload kbps',
    series: [
      { name: 'mesh', color: '#d1495b', points: pts('mesh', (a) => a.upload) },
      { name: 'SFU', color: '#00798c', points: pts('sfu', (a) => a.upload) },
      { name: 'mesh, model', color: '#888', dashed: true, points: meshModel },
    ],
  });
  const ratioSvg = lineChart({
    title: 'Upload mesh / SFU vs N (per run; median, min–max)',
    xLabel: 'participants (N)',
    yLabel: 'mesh / SFU upload',
    series: [
      { name: 'measured', color: '#d1495b', points: ratios.map((r) => point(r.n, r.measured)) },
      { name: 'model (layers)', color: '#00798c', dashed: true, points: ratios.map((r) => ({ x: r.n, y: r.expected.median })) },
      { name: 'N-1', color: '#888', dashed: true, points: ns.map((n) => ({ x: n, y: n - 1 })) },
    ],
  });
  const fpsSvg = lineChart({
    title: 'Decoded fps per remote peer vs N (median, min–max)',
    xLabel: 'participants (N)',
    yLabel: 'fps per remote',
    series: [
      { name: 'mesh', color: '#d1495b', points: pts('mesh', (a) => a.fps) },
      { name: 'SFU', color: '#00798c', points: pts('sfu', (a) => a.fps) },
    ],
  });
  const cpuSvg = lineChart({
    title: 'CPU vs N (% of one core; median, min–max)',
    xLabel: 'participants (N)',
    yLabel: 'CPU %',
    series: [
      { name: 'mesh, per browser', color: '#d1495b', points: pts('mesh', (a) => a.browserCpu) },
      { name: 'SFU, per browser', color: '#00798c', points: pts('sfu', (a) => a.browserCpu) },
      { name: 'server (mesh)', color: '#d1495b', dashed: true, points: pts('mesh', (a) => a.serverCpu) },
      { name: 'server (SFU)', color: '#00798c', dashed: true, points: pts('sfu', (a) => a.serverCpu) },
    ],
  });
  return { uploadSvg, ratioSvg, fpsSvg, cpuSvg };
}

export interface ReportContext {
  startedAt: string;
  url: string;
  seconds: number;
  video: string;
  cpus: number;
  maxN: number;
  runs?: number;
  /** The settle rule in words (lib/measure/settle.ts describeSettleRule). */
  settleRule?: string;
  /** Lowest and highest 1-minute load average seen after the steps, when known. */
  loadavg?: [number, number] | null;
  /** The command line, for the record. */
  command?: string;
  tolerance?: number;
}

export function ratioLines(ratios: readonly RatioRow[]): string[] {
  return ratios.map((r) => {
    const runs = r.runs.map((x) => `×${Number.isFinite(x.ratio) ? x.ratio.toFixed(2) : '-'}`).join(', ');
    const head =
      `N=${r.n}: measured ×${fmt(r.measured.median, 2)} (runs ${runs}), expected ×${fmt(r.expected.median, 2)} ` +
      `(N−1 = ${r.naive}): ${r.within ? 'within' : 'outside'} ±${Math.round(r.tolerance * 100)} % (${r.deviation >= 0 ? '+' : ''}${fmt(r.deviation * 100, 0)} %)`;
    return r.within ? head : `${head}. Why: ${r.reasons.join('; ')}.`;
  });
}

const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-');

export function markdownReport(summaries: readonly StepSummary[], ctx: ReportContext): string {
  const aggregates = aggregateRuns(summaries);
  const ratios = ratioRows(summaries, ctx.tolerance ?? 0.1);
  const meshKnee = kneeOf(aggregates, 'mesh', 0.9, summaries);
  const sfuKnee = kneeOf(aggregates, 'sfu', 0.9, summaries);
  const quality = aggregates
    .filter((a) => Object.keys(a.qualityLimitation).some((k) => k !== 'none'))
    .map((a) => `N=${a.n} ${a.mode}: ${Object.entries(a.qualityLimitation).map(([k, v]) => `${k}×${v}`).join(', ')} (layers, summed over runs)`);
  const runs = ctx.runs ?? Math.max(1, ...aggregates.map((a) => a.runs));
  return [
    '# Topology benchmark: mesh vs SFU',
    '',
    `Run ${ctx.startedAt} against ${ctx.url}${ctx.command ? ` (\`${ctx.command}\`)` : ''}; ${runs} run(s) per (N, mode), mesh and SFU back to back within a run; ` +
      `${ctx.seconds} s measured per step once upload had settled; fake video ${ctx.video}; ${ctx.cpus} CPU cores shared by every browser and the server` +
      (ctx.loadavg ? ` (1-min load average ${ctx.loadavg[0].toFixed(1)}–${ctx.loadavg[1].toFixed(1)} during the run).` : '.'),
    '',
    ...(ctx.settleRule ? [`Settle rule: ${ctx.settleRule}; when the wait ran out, the window was measured anyway and the table says "cap".`, ''] : []),
    markdownTable(aggregates),
    '',
    'Each cell: median over runs (min–max over runs); within a run, upload, CPU and RTT are medians over participants, ' +
      'fps the median over every participant × remote pair, join the p50 over participants. `*` after the mode: in some run not every ' +
      "participant decoded every other before the window. CPU: a participant's Chromium process tree, % of one core, and all of them together; " +
      'server CPU is the server with its mediasoup workers (only when the benchmark started it). ' +
      'Pair RTT: selected candidate pair (mesh: to the peer; SFU: to the server). Freezes: inbound-rtp freezeCount deltas summed over all pairs.',
    '',
    '## Upload: mesh / SFU against the cost model',
    '',
    markdownRows(ratioHeader(ctx.tolerance ?? 0.1), ratioTableRows(ratios)),
    '',
    'The ratio is computed per run (run i of mesh with run i of SFU, measured back to back) and then summarized. ' +
      'The model: a mesh participant uploads N−1 copies, each a full-resolution encoding plus audio; an SFU participant uploads one ' +
      'simulcast set, the full layer plus a quarter-resolution low layer, plus audio. With mesh copies at the SFU full layer\'s rate ' +
      '(both capped alike), expected = (N−1)·(b_full + a) / (b_full + b_low + a), from the layer rates measured in the same runs, not N−1.',
    '',
    ...ratioLines(ratios).map((l) => `- ${l}`),
    '',
    '![upload per participant vs N](upload-vs-n.svg)',
    '',
    '![mesh/SFU upload ratio vs N](ratio-vs-n.svg)',
    '',
    '## Knee',
    '',
    `- ${formatKnee(meshKnee, ctx.maxN)}`,
    `- ${formatKnee(sfuKnee, ctx.maxN)}`,
    '',
    '![fps per remote vs N](fps-vs-n.svg)',
    '',
    '![CPU vs N](cpu-vs-n.svg)',
    '',
    ...(quality.length ? ['## Quality limitation reported by the encoders', '', ...quality.map((q) => `- ${q}`), ''] : []),
  ].join('\n');
}
