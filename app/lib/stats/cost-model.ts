// The topology cost model, checked live against measurements, like with like. b is what WE encode
// (per copy in mesh, per simulcast layer in SFU), never what one receiver happens to get; every
// row compares two numbers of one level (payload, RTP, or wire), and what the levels differ by is
// its own overhead line. Rows are judged only in steady state (see cost-window.ts).
import { browserSteady, compare, participants, uploadOverhead, type CostInputs, type CostReport, type CostRow } from './cost-rows';
import { sfuReport } from './cost-sfu';
import { WINDOW_SAMPLES, windowMean } from './cost-window';
import type { Sample } from './sample';
import type { ReceivedRates } from './sharing';

export * from './cost-rows';

const round1 = (v: number) => Math.round(v * 10) / 10;

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : round1((s[mid - 1] + s[mid]) / 2);
}

/** The mean of what a peer said it received from us over its summaries that arrived inside (from, to]. */
function receivedFromUs(history: readonly ReceivedRates[] | undefined, selfId: string, from: number, to: number): number | null {
  const rates = (history ?? []).filter((h) => h.receivedAt > from && h.receivedAt <= to).map((h) => h.fromKbps[selfId]).filter((v): v is number => v !== undefined);
  return rates.length ? round1(rates.reduce((a, v) => a + v, 0) / rates.length) : null;
}

/**
 * Mesh: each copy we send is its own encoding of our camera and microphone, b. Our upload should
 * be (N-1)·b, b being the median of our copies. Each link is checked end to end: the copy we send
 * on it against what that peer says it receives from us (its stats:share), payload with payload.
 * The wire is on the overhead line.
 */
function meshReport(selfId: string, samples: readonly Sample[], received: CostInputs['received']): CostReport {
  const last = samples.at(-1)!;
  const n = participants(last);
  const window = samples.slice(-(WINDOW_SAMPLES + 1));
  const settling = browserSteady(samples);
  const steady = settling === null;
  const links = last.connectionStats.filter((c) => c.role === 'peer' && c.peerId);
  const perLink = links.map((c) => ({ c, kbps: windowMean(window, (s) => s.connectionStats.find((x) => x.id === c.id)?.upKbps) }));
  const b = median(perLink.map((l) => l.kbps).filter((v): v is number => v !== null));
  const names = Object.fromEntries(last.peers.map((p) => [p.id, p.name]));
  const total = windowMean(window, (s) => s.upload.totalKbps);
  const rows: CostRow[] = [
    compare({ id: 'upload', group: 'upload', label: `Our upload, (N-1)·b = ${n - 1}·b`, source: 'Σ outbound-rtp bytesSent over every link' },
      { level: 'payload', kbps: b === null ? null : round1((n - 1) * b) }, { level: 'payload', kbps: total }, steady),
    ...perLink.map(({ c, kbps }) =>
      compare({ id: `link-${c.peerId}`, group: 'links', label: `→ ${names[c.peerId!] ?? c.peerId}: our copy, as they receive it`, source: 'our outbound-rtp bytesSent on this link → their inbound-rtp bytesReceived from us (their stats:share)' },
        { level: 'payload', kbps }, { level: 'payload', kbps: receivedFromUs(received?.[c.peerId!], selfId, window[0].timestamp, last.timestamp) }, steady)),
  ];
  return {
    mode: 'mesh',
    n,
    steady,
    settling,
    b: [{ label: 'one copy of our camera and microphone (median of our copies)', kbps: b }],
    rows,
    overhead: [uploadOverhead(window, `Our upload, ${links.length} link${links.length === 1 ? '' : 's'}`)],
  };
}

export function costModel({ mode, selfId, samples, server = [], received = {} }: CostInputs): CostReport | null {
  const last = samples.at(-1);
  if (!last || last.upload.totalKbps === null) return null;
  return mode === 'mesh' ? meshReport(selfId, samples, received) : sfuReport(selfId, samples, server);
}
