// The topology benchmark's maths and formatting on fixed inputs: per-step medians, mesh/SFU upload
// ratios, the fps knee, the table and the SVG chart.
import { describe, expect, it } from 'vitest';
import { lineChart, niceCeil } from '../../../../../scripts/kit/lib/report/svg-chart';
import { charts, markdownReport, perStreamKbps } from '../../../../../scripts/kit/lib/report/topology-markdown';
import { formatTable, kneeOf, summarizeStep, tableRows, uploadRatios, type StepParticipant, type TopologyStep } from '../../../../../scripts/kit/lib/report/topology-report';
import type { ParticipantWindow } from '../../../../../scripts/kit/lib/measure/window-metrics';

function win(up: number, fps: number[], extra: Partial<ParticipantWindow> = {}): ParticipantWindow {
  return {
    seconds: 10,
    uploadKbps: up,
    downloadKbps: up - 100,
    connections: 1,
    uploadConnections: 1,
    activeEncoders: 1,
    outboundVideoStreams: 1,
    remotes: fps.map((f, i) => ({ id: `r${i}`, name: `r${i}`, framesDecoded: 100, inRoster: true, fps: f, freezes: 0, freezeSeconds: 0, resolution: '640x360' })),
    rttMs: 1,
    pingMs: null,
    localCandidateTypes: ['host'],
    qualityLimitation: { none: 1 },
    cpuPct: 40,
    ...extra,
  };
}

const part = (name: string, joinMs: number, w: ParticipantWindow): StepParticipant => ({ name, status: 'joined', errorCode: null, joinMs, window: w });

const step = (n: number, mode: 'mesh' | 'sfu', participants: StepParticipant[], extra: Partial<TopologyStep> = {}): TopologyStep => ({
  n,
  mode,
  complete: true,
  participants,
  serverCpuPct: null,
  sfuEgressKbps: null,
  ...extra,
});

const steps: TopologyStep[] = [
  step(2, 'mesh', [part('p1', 2000, win(1000, [15], { rttMs: 1, cpuPct: 40 })), part('p2', 3000, win(1100, [14], { rttMs: 3, cpuPct: 50 }))]),
  step(2, 'sfu', [part('p1', 1000, win(200, [15])), part('p2', 1000, win(300, [15]))], { serverCpuPct: 12.34, sfuEgressKbps: 512.6 }),
  step(3, 'mesh', [part('p1', 1000, win(2000, [12, 13])), part('p2', 1000, win(2100, [12, 12])), part('p3', 1000, win(2200, [11, 14]))]),
  step(3, 'sfu', [part('p1', 1000, win(240, [15, 15])), part('p2', 1000, win(250, [15, 15])), part('p3', 1000, win(260, [15, 15]))]),
];
const summaries = steps.map(summarizeStep);

describe('summarizeStep', () => {
  it('takes medians over participants and over participant × remote pairs', () => {
    const s = summaries[0];
    expect(s.uploadKbps).toBe(1050);
    expect(s.downloadKbps).toBe(950);
    expect(s.joinP50Ms).toBe(2500);
    expect(s.joinP95Ms).toBe(2950);
    expect(s.fpsPerRemote).toBe(14.5);
    expect(s.fpsPerRemoteMin).toBe(14);
    expect(s.rttMs).toBe(2);
    expect(s.browserCpuPct).toBe(45);
    expect(s.freezes).toBe(0);
    expect(s.qualityLimitation).toEqual({ none: 2 });
    expect(summaries[2].fpsPerRemote).toBe(12);
    expect(summaries[2].uploadKbps).toBe(2100);
  });

  it('reports freezes as unknown when any remote lacks them', () => {
    const w = win(100, [15]);
    w.remotes[0].freezes = null;
    expect(summarizeStep(step(2, 'mesh', [part('a', 1, w)])).freezes).toBeNull();
  });
});

describe('upload ratios and knee', () => {
  it('divides mesh by SFU upload per N and normalizes by the smallest N', () => {
    expect(uploadRatios(summaries)).toEqual([
      { n: 2, meshKbps: 1050, sfuKbps: 250, ratio: 4.2, normalized: 1, expected: 1 },
      { n: 3, meshKbps: 2100, sfuKbps: 250, ratio: 8.4, normalized: 2, expected: 2 },
    ]);
  });

  it('finds the first N whose fps per remote drops below 90% of the smallest N', () => {
    const mesh = kneeOf(summaries, 'mesh');
    expect(mesh.n).toBe(3);
    expect(mesh.baselineFps).toBe(14.5);
    expect(mesh.thresholdFps).toBeCloseTo(13.05, 10);
    expect(mesh.otherFpsAtKnee).toBe(15);
    expect(kneeOf(summaries, 'sfu')).toEqual({ mode: 'sfu', baselineFps: 15, thresholdFps: 13.5, n: null, otherFpsAtKnee: null });
  });
});

describe('formatting', () => {
  it('renders one row per step with ratios on mesh rows', () => {
    const rows = tableRows([...summaries, summarizeStep(step(4, 'mesh', [part('p1', 5000, win(3000, [5]))], { complete: false }))]);
    expect(rows[0]).toEqual(['2', 'mesh', '1050', '4.20', '1.00', '1', '2500/2950', '14.5', '45', '-', '-', '1', '2.0', '-', '0']);
    expect(rows[1]).toEqual(['2', 'sfu', '250', '', '', '', '1000/1000', '15.0', '40', '12', '513', '1', '1.0', '-', '0']);
    expect(rows[2][3]).toBe('8.40');
    expect(rows[4][1]).toBe('mesh*');
    const table = formatTable(summaries).split('\n');
    expect(table).toHaveLength(5);
    expect(table[0].trim().startsWith('N  mode')).toBe(true);
  });

  it('writes a Markdown report with the knee, ratios and chart links', () => {
    const md = markdownReport(summaries, { startedAt: 'T', url: 'http://127.0.0.1:1', seconds: 10, video: '640x360@15', cpus: 2, maxN: 3 });
    expect(md).toContain('| N | mode | up kbps/p |');
    expect(md).toContain('- N=3: mesh 2100 kbps, SFU 250 kbps → ×8.40, normalized ×2.00 (expected ×2)');
    expect(md).toContain('mesh fps/remote at the smallest N: 14.5 (threshold 13.1); knee at N=3 (the other mode at N=3: 15.0 fps/remote)');
    expect(md).toContain('sfu fps/remote at the smallest N: 15.0 (threshold 13.5); no knee up to N=3');
    expect(md).toContain('![upload per participant vs N](upload-vs-n.svg)');
  });

  it('draws an SVG line chart with the (N-1)·b expectation', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(2100)).toBe(2500);
    expect(niceCeil(250)).toBe(250);
    expect(perStreamKbps(summaries)).toBe(1050);
    const { uploadSvg } = charts(summaries);
    expect(uploadSvg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // x: 2 → 64, 3 → 490; y: 0..2500 over 276 px from y=312.
    expect(uploadSvg).toContain('<path d="M64 196.1 L490 80.2" fill="none" stroke="#d1495b"');
    expect(uploadSvg).toContain('<path d="M64 196.1 L490 80.2" fill="none" stroke="#888" stroke-width="2" stroke-dasharray="6 4"/>');
    expect(uploadSvg).toContain('(N-1)·b expected');
    expect(lineChart({ title: 'a<b', xLabel: 'x', yLabel: 'y', series: [] })).toContain('a&lt;b');
  });
});
