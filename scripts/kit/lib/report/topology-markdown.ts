// The topology benchmark's human report: Markdown with the table, upload ratios, knees and two
// SVG charts (upload per participant vs N with the (N-1)·b line, fps per remote vs N). Pure.
import { lineChart } from './svg-chart';
import { formatKnee, kneeOf, markdownTable, uploadRatios, type StepSummary } from './topology-report';

/** b of the (N-1)·b expectation: mesh upload per participant per stream at the smallest mesh N. */
export function perStreamKbps(summaries: readonly StepSummary[]): number {
  const mesh = summaries.filter((s) => s.mode === 'mesh' && s.n >= 2 && Number.isFinite(s.uploadKbps)).sort((a, b) => a.n - b.n)[0];
  return mesh ? mesh.uploadKbps / (mesh.n - 1) : NaN;
}

export function charts(summaries: readonly StepSummary[]): { uploadSvg: string; fpsSvg: string } {
  const pts = (mode: string, pick: (s: StepSummary) => number) =>
    summaries.filter((s) => s.mode === mode).map((s) => ({ x: s.n, y: pick(s) }));
  const b = perStreamKbps(summaries);
  const ns = [...new Set(summaries.map((s) => s.n))].sort((x, y) => x - y);
  const uploadSvg = lineChart({
    title: 'Upload per participant vs N',
    xLabel: 'participants (N)',
    yLabel: 'upload kbps (median)',
    series: [
      { name: 'mesh', color: '#d1495b', points: pts('mesh', (s) => s.uploadKbps) },
      { name: 'SFU', color: '#00798c', points: pts('sfu', (s) => s.uploadKbps) },
      { name: '(N-1)·b expected', color: '#888', dashed: true, points: ns.map((n) => ({ x: n, y: (n - 1) * b })) },
    ],
  });
  const fpsSvg = lineChart({
    title: 'Decoded fps per remote peer vs N',
    xLabel: 'participants (N)',
    yLabel: 'fps per remote (median)',
    series: [
      { name: 'mesh', color: '#d1495b', points: pts('mesh', (s) => s.fpsPerRemote) },
      { name: 'SFU', color: '#00798c', points: pts('sfu', (s) => s.fpsPerRemote) },
    ],
  });
  return { uploadSvg, fpsSvg };
}

export interface ReportContext {
  startedAt: string;
  url: string;
  seconds: number;
  video: string;
  cpus: number;
  maxN: number;
  /** Lowest and highest 1-minute load average seen after the steps, when known. */
  loadavg?: [number, number] | null;
}

export function markdownReport(summaries: readonly StepSummary[], ctx: ReportContext): string {
  const ratios = uploadRatios(summaries);
  const meshKnee = kneeOf(summaries, 'mesh');
  const sfuKnee = kneeOf(summaries, 'sfu');
  const quality = summaries
    .filter((s) => Object.keys(s.qualityLimitation).some((k) => k !== 'none'))
    .map((s) => `N=${s.n} ${s.mode}: ${Object.entries(s.qualityLimitation).map(([k, v]) => `${k}×${v}`).join(', ')}`);
  return [
    '# Topology benchmark: mesh vs SFU',
    '',
    `Run ${ctx.startedAt} against ${ctx.url}; ${ctx.seconds} s measured per step after everyone decodes everyone; ` +
      `fake video ${ctx.video}; ${ctx.cpus} CPU cores shared by every browser and the server` +
      (ctx.loadavg ? ` (1-min load average ${ctx.loadavg[0].toFixed(1)}–${ctx.loadavg[1].toFixed(1)} during the run).` : '.'),
    '',
    markdownTable(summaries),
    '',
    'Medians over participants (fps: over every participant × remote pair). `*` after the mode: not every ' +
      'participant decoded every other before the window. Browser CPU is one participant\'s Chromium process tree, ' +
      '% of one core; server CPU is the server with its mediasoup workers and coturn (only when the benchmark started it). ' +
      'RTT: selected candidate pair (mesh: to the peer; SFU: to the server). Freezes: inbound-rtp freezeCount deltas summed over all pairs.',
    '',
    '## Upload: mesh / SFU vs the expected N-1',
    '',
    ...ratios.map(
      (r) => `- N=${r.n}: mesh ${r.meshKbps.toFixed(0)} kbps, SFU ${r.sfuKbps.toFixed(0)} kbps → ×${r.ratio.toFixed(2)}, normalized ×${r.normalized.toFixed(2)} (expected ×${r.expected})`,
    ),
    '',
    'A mesh connection carries one stream whose bitrate the browser picks; the SFU upload is simulcast ' +
      'layers with capped bitrates. So the raw ratio at the smallest N compares two encoders, and the ' +
      '"normalized" ratio (raw ratio ÷ raw ratio at the smallest N × (that N − 1)) is the one that should track N − 1.',
    '',
    '![upload per participant vs N](upload-vs-n.svg)',
    '',
    '## Knee (fps per remote below 90% of the smallest N)',
    '',
    `- ${formatKnee(meshKnee, ctx.maxN)}`,
    `- ${formatKnee(sfuKnee, ctx.maxN)}`,
    '',
    '![fps per remote vs N](fps-vs-n.svg)',
    '',
    ...(quality.length ? ['## Quality limitation reported by the encoders', '', ...quality.map((q) => `- ${q}`), ''] : []),
  ].join('\n');
}
