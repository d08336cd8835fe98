// The synthetic topology benchmark's human output, labelled SYNTHETIC throughout: tables (medians over
// runs with min–max), the ratio verdicts, the knees, report.md and three SVG charts. Pure.
import { formatSpread, type Spread } from '../measure/spread';
import { lineChart, type ChartPoint, type ChartSeries } from './svg-chart';
import { formatSyntheticKnee, type SyntheticAggregate, type SyntheticKnee, type SyntheticRatioRow } from './synthetic-figures';
import { formatFixed, markdownRows, type Mode } from './topology-report';

export const SYNTHETIC_LABEL = 'SYNTHETIC (RTP-level senders, no browsers, no encoding)';

export const WHAT_IT_MEASURES =
  'What this measures: transport cost, i.e. bytes on the wire and the packet handling of the processes that send and receive them. ' +
  'Each participant is a Node process pacing pre-sized VP8 and Opus-like RTP packets (and RTCP sender reports) at fixed rates. ' +
  'It does not encode (a real mesh peer encodes its camera once and packetizes and encrypts it N−1 times; this one only packetizes N−1 times), ' +
  'does not encrypt its own packets (no DTLS/SRTP on the senders; the SFU encrypts what it forwards with SRTP, as the app does), ' +
  'and has no congestion control, retransmission or bandwidth estimation: every stream runs at its configured rate whatever happens.';

const point = (x: number, s: Spread): ChartPoint => ({ x, y: s.median, lo: s.min, hi: s.max });

export const TABLE_HEADER = ['N', 'mode', 'runs', 'upload kbps/p', 'download kbps/p', 'CPU %/participant', 'CPU % all', 'worker CPU %', 'SFU egress kbps (sinks)', 'SFU egress kbps (mediasoup)', 'loss %', 'frames dropped %', 'load avg'];

export function tableRows(aggregates: readonly SyntheticAggregate[]): string[][] {
  return aggregates.map((a) => [
    String(a.n),
    a.mode,
    String(a.runs),
    formatSpread(a.upload),
    formatSpread(a.download),
    formatSpread(a.cpu, 1),
    formatSpread(a.cpuTotal),
    a.mode === 'sfu' ? formatSpread(a.workerCpu, 1) : '',
    a.mode === 'sfu' ? formatSpread(a.sfuEgress) : '',
    a.mode === 'sfu' ? formatSpread(a.sfuEgressMediasoup) : '',
    formatSpread(a.loss, 2),
    formatSpread(a.shortfall, 1),
    formatSpread(a.loadavg, 1),
  ]);
}

export function ratioHeader(tolerance: number): string[] {
  return ['N', 'mesh/SFU upload (runs)', 'expected (model)', 'N-1', `every run within ±${Math.round(tolerance * 100)} %`];
}

export function ratioTableRows(rows: readonly SyntheticRatioRow[]): string[][] {
  return rows.map((r) => [String(r.n), formatSpread(r.measured, 2), formatSpread(r.expected, 2), String(r.n - 1), r.within ? 'yes' : 'no']);
}

export function ratioLines(rows: readonly SyntheticRatioRow[]): string[] {
  return rows.map((r) => {
    const runs = r.runs.map((x) => `×${x.ratio.toFixed(3)} vs ×${x.expected.toFixed(3)} (${x.deviation >= 0 ? '+' : ''}${(x.deviation * 100).toFixed(1)} %)`).join(', ');
    return `N=${r.n}: ${runs}: ${r.within ? 'within' : 'outside'} ±${Math.round(r.tolerance * 100)} %${r.within ? '' : `. Why: ${r.reasons.join('; ')}.`}`;
  });
}

export interface SyntheticCharts {
  uploadSvg: string;
  ratioSvg: string;
  cpuSvg: string;
}

const COLORS: Record<string, string> = { mesh: '#d1495b', sfu: '#00798c', model: '#888' };

/** A chart against N, its title starting "SYNTHETIC: ". */
const nChart = (title: string, yLabel: string, series: ChartSeries[]) => lineChart({ title: `SYNTHETIC: ${title}`, xLabel: 'participants (N)', yLabel, series });

export function syntheticCharts(aggregates: readonly SyntheticAggregate[], ratios: readonly SyntheticRatioRow[]): SyntheticCharts {
  /** One mode's figure per N (median, min–max over runs); dashed for the secondary figures. */
  const line = (name: string, mode: Mode, pick: (a: SyntheticAggregate) => Spread, dashed = false): ChartSeries => ({
    name,
    color: COLORS[mode],
    dashed,
    points: aggregates.filter((a) => a.mode === mode).map((a) => point(a.n, pick(a))),
  });
  const ns = [...new Set(aggregates.map((a) => a.n))].sort((x, y) => x - y);
  const measured: ChartSeries = { name: 'measured', color: COLORS.mesh, points: ratios.map((r) => point(r.n, r.measured)) };
  const model: ChartSeries = { name: 'model', color: COLORS.sfu, dashed: true, points: ratios.map((r) => ({ x: r.n, y: r.expected.median })) };
  const naive: ChartSeries = { name: 'N-1', color: COLORS.model, dashed: true, points: ns.map((n) => ({ x: n, y: n - 1 })) };
  return {
    uploadSvg: nChart('upload per participant vs N (median, min–max over runs)', 'upload kbps', [
      line('mesh', 'mesh', (a) => a.upload),
      line('SFU', 'sfu', (a) => a.upload),
      line('SFU egress', 'sfu', (a) => a.sfuEgress, true),
    ]),
    ratioSvg: nChart('upload mesh / SFU vs N (per run; median, min–max)', 'mesh / SFU upload', [measured, model, naive]),
    cpuSvg: nChart('CPU vs N (% of one core; median, min–max)', 'CPU %', [
      line('mesh, per peer', 'mesh', (a) => a.cpu),
      line('SFU, per participant', 'sfu', (a) => a.cpu),
      line('SFU worker', 'sfu', (a) => a.workerCpu, true),
      line('mesh, all peers', 'mesh', (a) => a.cpuTotal, true),
    ]),
  };
}

export interface SyntheticReportContext {
  startedAt: string;
  command: string;
  runs: number;
  seconds: number;
  streams: string;
  cpus: number;
  loadavg: [number, number] | null;
  maxN: number;
}

export function formatConsole(aggregates: readonly SyntheticAggregate[], ratios: readonly SyntheticRatioRow[], knees: readonly SyntheticKnee[], maxN: number): string {
  return [
    SYNTHETIC_LABEL,
    formatFixed(TABLE_HEADER, tableRows(aggregates)),
    '',
    formatFixed(ratioHeader(ratios[0]?.tolerance ?? 0.1), ratioTableRows(ratios)),
    '',
    ...ratioLines(ratios),
    '',
    ...knees.map((k) => formatSyntheticKnee(k, maxN)),
    knees[0] ? `knee rule: ${knees[0].rule}` : '',
  ].join('\n');
}

export function syntheticMarkdown(aggregates: readonly SyntheticAggregate[], ratios: readonly SyntheticRatioRow[], knees: readonly SyntheticKnee[], ctx: SyntheticReportContext): string {
  return [
    '# SYNTHETIC topology benchmark: mesh vs SFU without browsers',
    '',
    `**${SYNTHETIC_LABEL}.** ${WHAT_IT_MEASURES}`,
    '',
    `Run ${ctx.startedAt} (\`${ctx.command}\`); ${ctx.runs} run(s) per (N, mode), mesh then SFU within a run; ${ctx.seconds} s window per step; ` +
      `streams per participant: ${ctx.streams}; ${ctx.cpus} CPU cores shared by every synthetic participant and the mediasoup worker` +
      (ctx.loadavg ? ` (1-min load average ${ctx.loadavg[0].toFixed(1)}–${ctx.loadavg[1].toFixed(1)} during the run).` : '.'),
    '',
    markdownRows(TABLE_HEADER, tableRows(aggregates)),
    '',
    'Each cell: median over runs (min–max). Within a run: upload, download and CPU are medians over participants, "CPU % all" their sum. ' +
      'Upload is every byte its sockets sent (RTP and RTCP sender reports), download the RTP its sink socket received. ' +
      'SFU download is above the senders\' rates for the same streams: mediasoup writes a header-extension block into every packet it forwards ' +
      '(16 bytes on audio, 20 on video in mediasoup 3.12, although the consumers negotiated no extensions) and SRTP adds a 16-byte tag. ' +
      "CPU: the participant's own process, sending (mesh: its N−1 copies; SFU: its one stream set) and receiving the N−1 others' streams. Worker CPU: the mediasoup worker process. " +
      "SFU egress: what the sinks received, and what mediasoup's receive transports sent (RTCP included). Loss: packets sent towards the sinks that did not arrive. " +
      'Frames dropped: scheduled frames a sender skipped because it fell more than 250 ms behind.',
    '',
    '## Upload: mesh / SFU against the cost model',
    '',
    markdownRows(ratioHeader(ratios[0]?.tolerance ?? 0.1), ratioTableRows(ratios)),
    '',
    'Per run (mesh step and SFU step of the same run): the mesh participants\' median upload over the SFU participants\', against ' +
      '(N−1)·(b_full + a) / (b_full + b_low + a), with b_full, b_low and a the SFU participants\' full layer, low layer and audio as they were sent (RTP on the wire). ' +
      'A synthetic sender sends what it is told, so a miss means a sender could not keep its schedule, or bytes beyond the streams.',
    '',
    ...ratioLines(ratios).map((l) => `- ${l}`),
    '',
    '![SYNTHETIC upload per participant vs N](upload-vs-n.svg)',
    '',
    '![SYNTHETIC mesh/SFU upload ratio vs N](ratio-vs-n.svg)',
    '',
    '## Knee',
    '',
    `Rule: ${knees[0]?.rule ?? '-'}.`,
    '',
    ...knees.map((k) => `- ${formatSyntheticKnee(k, ctx.maxN)}`),
    '',
    '![SYNTHETIC CPU vs N](cpu-vs-n.svg)',
    '',
  ].join('\n');
}
