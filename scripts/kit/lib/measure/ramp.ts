// The SFU ramp benchmark's figures (cli/sfu-ramp.ts) from one participant's app samples: how long
// its upload takes from joining to its steady value, what that steady upload is made of, what the
// browser's send-side estimate says, why its encoders held back, and what resolution it receives
// from each sender. Then medians over participants and runs, mesh beside SFU. Pure.
import type { AppSample } from '../hooks';
import { layerRates, outgoingEstimateKbps } from './layer-rates';
import { formatSpread, spreadOf, type Spread } from './spread';

export interface RampRule {
  /** Seconds after the join that the participant is watched. */
  windowS: number;
  /** The steady upload is the median of the smoothed upload over this many last seconds of the window. */
  steadyS: number;
  /** Smoothing: the mean upload over this many seconds ending at each sample (one loop of the generated video). */
  smoothS: number;
  /** "Within" the steady value: ±this fraction. */
  tolerance: number;
}

export const RAMP_RULE: RampRule = { windowS: 30, steadyS: 10, smoothS: 4, tolerance: 0.1 };

/** The issue's goal: the steady upload reached within this many seconds of joining. */
export const RAMP_GOAL_S = 5;

export function describeRule(r: RampRule = RAMP_RULE): string {
  return (
    `ramp time = from the join (the page's "join acknowledged" mark) until the upload, as a ${r.smoothS} s moving mean, ` +
    `reaches and stays within ±${Math.round(r.tolerance * 100)} % of its steady value to the end of the ${r.windowS} s window; ` +
    `steady value = the median of that moving mean over the window's last ${r.steadyS} s ` +
    `("still moving" when the moving mean leaves the band during those ${r.steadyS} s)`
  );
}

export interface Received {
  /** The sender's display name. */
  from: string;
  /** Median frame size of this sender's video as we decode it, over the window's samples that had one. */
  width: number | null;
  height: number | null;
}

export interface ParticipantRamp {
  name: string;
  /** Seconds from the join to the steady upload; null when it was not within the band at the window's end. */
  rampS: number | null;
  steadyKbps: number | null;
  /** The moving mean stayed within the band over the whole steady part (false: still moving, e.g. a decay). */
  steadyTail: boolean;
  /** Mean rates over the steady part: every mesh copy's mean (null in SFU), the simulcast layers (null in mesh), audio. */
  perCopyKbps: number | null;
  copies: number;
  lowLayerKbps: number | null;
  highLayerKbps: number | null;
  audioKbps: number | null;
  /** The browser's send-side bandwidth estimate over the steady part (median of the sending connections' median). */
  availableOutgoingKbps: number | null;
  /** Encoding-seconds per qualityLimitationReason over the window (every encoding, every sample). */
  limitations: Record<string, number>;
  /** What we receive from each other participant. */
  received: Received[];
  /** Seconds of samples the window really had (a short one means the page stopped reporting). */
  coveredS: number;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function median(vs: readonly number[]): number | null {
  if (!vs.length) return null;
  const s = [...vs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Each sample's upload as the mean over the `smoothS` seconds ending at it (time-weighted, per-interval kbps). */
export function smoothedUpload(samples: readonly AppSample[], smoothS: number): { t: number; kbps: number }[] {
  const out: { t: number; kbps: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const end = samples[i].timestamp;
    let sum = 0;
    let ms = 0;
    for (let j = i; j >= 1 && end - samples[j - 1].timestamp <= smoothS * 1000 + 250; j--) {
      const r = samples[j].upload.totalKbps;
      const dt = samples[j].timestamp - samples[j - 1].timestamp;
      if (!finite(r) || dt <= 0) continue;
      sum += r * dt;
      ms += dt;
    }
    if (ms > 0) out.push({ t: end, kbps: sum / ms });
  }
  return out;
}

/**
 * Ramp time and steady value from the smoothed upload (see describeRule); `joinAt` on the samples'
 * clock (ms since the epoch). Only samples within [joinAt, joinAt + windowS] count.
 */
export function rampOf(samples: readonly AppSample[], joinAt: number, rule: RampRule = RAMP_RULE): { rampS: number | null; steadyKbps: number | null; steadyTail: boolean } {
  const end = joinAt + rule.windowS * 1000;
  const inWindow = [...samples].filter((s) => s.timestamp >= joinAt && s.timestamp <= end).sort((a, b) => a.timestamp - b.timestamp);
  const smooth = smoothedUpload(inWindow, rule.smoothS);
  const tail = smooth.filter((p) => p.t >= end - rule.steadyS * 1000).map((p) => p.kbps);
  const steady = median(tail);
  if (steady === null || steady <= 0) return { rampS: null, steadyKbps: steady, steadyTail: false };
  const within = (kbps: number) => Math.abs(kbps - steady) <= rule.tolerance * steady;
  // The earliest point from which every later point stays within the band.
  let from: number | null = null;
  for (let i = smooth.length - 1; i >= 0 && within(smooth[i].kbps); i--) from = smooth[i].t;
  // A decay can sit in the band for its last seconds only: flagged, since its "steady" value still moves.
  return { rampS: from === null ? null : (from - joinAt) / 1000, steadyKbps: steady, steadyTail: tail.every(within) };
}

/** One participant's figures; `names` maps peer ids to display names (the senders). */
export function participantRamp(name: string, samples: readonly AppSample[], joinAt: number, names: Record<string, string>, rule: RampRule = RAMP_RULE): ParticipantRamp {
  const end = joinAt + rule.windowS * 1000;
  const window = [...samples].filter((s) => s.timestamp >= joinAt && s.timestamp <= end).sort((a, b) => a.timestamp - b.timestamp);
  const steadyPart = window.filter((s) => s.timestamp >= end - rule.steadyS * 1000);
  const { rampS, steadyKbps, steadyTail } = rampOf(window, joinAt, rule);
  const layers = layerRates(steadyPart);
  const limitations: Record<string, number> = {};
  for (const s of window.slice(1)) {
    for (const l of s.layers) {
      if ((l as { source?: string }).source === 'screen' || !l.qualityLimitationReason) continue;
      limitations[l.qualityLimitationReason] = (limitations[l.qualityLimitationReason] ?? 0) + 1;
    }
  }
  const sizes = new Map<string, { w: number[]; h: number[] }>();
  for (const s of window) {
    for (const p of s.peers) {
      const from = names[p.id] ?? p.name;
      const entry = sizes.get(from) ?? { w: [], h: [] };
      sizes.set(from, entry);
      if (finite(p.width) && finite(p.height) && p.width > 0) {
        entry.w.push(p.width);
        entry.h.push(p.height);
      }
    }
  }
  const received = [...sizes.entries()]
    .map(([from, { w, h }]) => ({ from, width: median(w), height: median(h) }))
    .sort((a, b) => a.from.localeCompare(b.from));
  return {
    name,
    rampS,
    steadyKbps,
    steadyTail,
    perCopyKbps: layers?.perCopyKbps ?? null,
    copies: layers?.copies ?? 0,
    lowLayerKbps: layers?.lowKbps ?? null,
    highLayerKbps: layers?.highKbps ?? null,
    audioKbps: layers?.audioKbps ?? null,
    availableOutgoingKbps: outgoingEstimateKbps(steadyPart),
    limitations,
    received,
    coveredS: window.length > 1 ? (window[window.length - 1].timestamp - window[0].timestamp) / 1000 : 0,
  };
}

export type Mode = 'mesh' | 'sfu';

export interface RampStep {
  mode: Mode;
  loaded: boolean;
  run: number;
  /** 1-minute load average when the step started and when it ended. */
  loadavg: [number, number];
  participants: ParticipantRamp[];
  error?: string;
}

export interface RampAggregate {
  mode: Mode;
  loaded: boolean;
  steps: number;
  participants: number;
  rampS: Spread;
  /** Participants whose upload was still moving in the steady part (see steadyTail), of all measured. */
  stillMoving: number;
  /** Met the goal: ramp time ≤ RAMP_GOAL_S. */
  withinGoal: number;
  steadyKbps: Spread;
  perCopyKbps: Spread;
  lowLayerKbps: Spread;
  highLayerKbps: Spread;
  availableOutgoingKbps: Spread;
  /** Median received width per receiver×sender pair. */
  receivedWidth: Spread;
  /** Pairs whose median width is the largest any pair of any mode got (the full size), of all pairs. */
  fullSizePairs: number;
  pairs: number;
  limitations: Record<string, number>;
  loadavg: Spread;
}

export function aggregate(steps: readonly RampStep[]): RampAggregate[] {
  const full = Math.max(0, ...steps.flatMap((s) => s.participants.flatMap((p) => p.received.map((r) => r.width ?? 0))));
  const keys = [...new Set(steps.map((s) => `${s.loaded ? 1 : 0}-${s.mode}`))].sort();
  return keys.map((key) => {
    const group = steps.filter((s) => `${s.loaded ? 1 : 0}-${s.mode}` === key);
    const ps = group.flatMap((s) => s.participants);
    const widths = ps.flatMap((p) => p.received.map((r) => r.width)).filter(finite);
    const limitations: Record<string, number> = {};
    for (const p of ps) for (const [k, v] of Object.entries(p.limitations)) limitations[k] = (limitations[k] ?? 0) + v;
    return {
      mode: group[0].mode,
      loaded: group[0].loaded,
      steps: group.length,
      participants: ps.length,
      rampS: spreadOf(ps.map((p) => p.rampS)),
      stillMoving: ps.filter((p) => !p.steadyTail).length,
      withinGoal: ps.filter((p) => p.rampS !== null && p.rampS <= RAMP_GOAL_S).length,
      steadyKbps: spreadOf(ps.map((p) => p.steadyKbps)),
      perCopyKbps: spreadOf(ps.map((p) => p.perCopyKbps)),
      lowLayerKbps: spreadOf(ps.map((p) => p.lowLayerKbps)),
      highLayerKbps: spreadOf(ps.map((p) => p.highLayerKbps)),
      availableOutgoingKbps: spreadOf(ps.map((p) => p.availableOutgoingKbps)),
      receivedWidth: spreadOf(widths),
      fullSizePairs: widths.filter((w) => full > 0 && w >= full).length,
      pairs: widths.length,
      limitations,
      loadavg: spreadOf(group.flatMap((s) => s.loadavg)),
    };
  });
}

export interface ResolutionVerdict {
  loaded: boolean;
  /** SFU pairs' median and lowest received width against mesh's; null when a mode is missing. */
  holds: boolean | null;
  reason: string;
}

/**
 * The issue's goal, per load condition: SFU receivers get at least the resolution mesh receivers
 * get. Holds when the SFU's median received width and its lowest pair's width are each at least
 * mesh's.
 */
export function resolutionVerdicts(aggs: readonly RampAggregate[]): ResolutionVerdict[] {
  return [false, true].flatMap((loaded): ResolutionVerdict[] => {
    const mesh = aggs.find((a) => a.mode === 'mesh' && a.loaded === loaded);
    const sfu = aggs.find((a) => a.mode === 'sfu' && a.loaded === loaded);
    if (!mesh && !sfu) return [];
    if (!mesh || !sfu || mesh.receivedWidth.n === 0 || sfu.receivedWidth.n === 0) {
      return [{ loaded, holds: null, reason: 'one mode has no received video to compare' }];
    }
    const holds = sfu.receivedWidth.median >= mesh.receivedWidth.median && sfu.receivedWidth.min >= mesh.receivedWidth.min;
    const reason =
      `SFU median ${sfu.receivedWidth.median} px (lowest pair ${sfu.receivedWidth.min}, ${sfu.fullSizePairs}/${sfu.pairs} pairs at full size) ` +
      `vs mesh median ${mesh.receivedWidth.median} px (lowest ${mesh.receivedWidth.min}, ${mesh.fullSizePairs}/${mesh.pairs})`;
    return [{ loaded, holds, reason }];
  });
}

const kbps = (s: Spread) => formatSpread(s);

/** The side-by-side table: one column per mode and load condition, medians (min–max). */
export function rampTable(aggs: readonly RampAggregate[]): string {
  const cols = [...aggs].sort((a, b) => Number(a.loaded) - Number(b.loaded) || a.mode.localeCompare(b.mode));
  const head = `| per participant, median (min–max) | ${cols.map((a) => `${a.mode} ${a.loaded ? 'loaded' : 'idle'}`).join(' | ')} |`;
  const sep = `|---|${cols.map(() => '---').join('|')}|`;
  const limits = (a: RampAggregate) => {
    const total = Object.values(a.limitations).reduce((x, y) => x + y, 0);
    const entries = Object.entries(a.limitations).sort((x, y) => y[1] - x[1]);
    return total ? entries.map(([k, v]) => `${k} ${Math.round((100 * v) / total)} %`).join(', ') : '-';
  };
  const rows: [string, (a: RampAggregate) => string][] = [
    ['ramp time, s', (a) => formatSpread(a.rampS, 1)],
    [`ramp ≤ ${RAMP_GOAL_S} s; still moving at the end`, (a) => `${a.withinGoal}/${a.participants}; ${a.stillMoving}`],
    ['steady upload, kbps', (a) => kbps(a.steadyKbps)],
    ['mesh copy, kbps', (a) => kbps(a.perCopyKbps)],
    ['SFU full layer, kbps', (a) => kbps(a.highLayerKbps)],
    ['SFU low layer, kbps', (a) => kbps(a.lowLayerKbps)],
    ['send-side estimate, kbps', (a) => kbps(a.availableOutgoingKbps)],
    ['received width, px (per pair)', (a) => `${formatSpread(a.receivedWidth)}; ${a.fullSizePairs}/${a.pairs} full`],
    ['encoder limitation (encoding-seconds)', limits],
    ['load average (1 min)', (a) => formatSpread(a.loadavg, 1)],
  ];
  return [head, sep, ...rows.map(([label, f]) => `| ${label} | ${cols.map(f).join(' | ')} |`)].join('\n');
}
