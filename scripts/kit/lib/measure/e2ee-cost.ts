// Pure maths of the E2EE cost benchmark: one participant's window (CPU share of one core, mean
// upload and decoded fps from the app's samples, WebCrypto time per frame and added bytes from
// its E2EE counters), and the spread over every participant of every run, per kind of call.
import type { AppSample, AppSnapshot } from '../hooks';
import { summarize, type Summary } from './stats-math';

type E2eeCounters = NonNullable<AppSnapshot['e2ee']>;

export interface E2eeWindow {
  cpuPct: number | null;
  uploadKbps: number | null;
  fps: number | null;
  encryptUsPerFrame: number | null;
  decryptUsPerFrame: number | null;
  overheadKbps: number | null;
}

export interface E2eeRun {
  e2ee: boolean;
  participants: E2eeWindow[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const decrypted = (c: E2eeCounters) => Object.values(c.peers).reduce((sum, p) => sum + p.decrypted, 0);

export function e2eeWindow(o: { seconds: number; cpuSeconds: number | null; samples: AppSample[]; before: E2eeCounters | null; after: E2eeCounters | null }): E2eeWindow {
  const { before, after } = o;
  const encrypted = before && after ? after.encryptedFrames - before.encryptedFrames : 0;
  const opened = before && after ? decrypted(after) - decrypted(before) : 0;
  return {
    cpuPct: o.cpuSeconds === null ? null : (o.cpuSeconds / o.seconds) * 100,
    uploadKbps: mean(o.samples.flatMap((s) => (s.upload.totalKbps === null ? [] : [s.upload.totalKbps]))),
    fps: mean(o.samples.flatMap((s) => s.peers.flatMap((p) => (p.fps === null ? [] : [p.fps])))),
    encryptUsPerFrame: before && after && encrypted > 0 ? ((after.encryptMs - before.encryptMs) / encrypted) * 1000 : null,
    decryptUsPerFrame: before && after && opened > 0 ? ((after.decryptMs - before.decryptMs) / opened) * 1000 : null,
    overheadKbps: before && after ? ((after.overheadBytes - before.overheadBytes) * 8) / o.seconds / 1000 : null,
  };
}

export interface E2eeSummary {
  e2ee: boolean;
  cpuPct: Summary;
  uploadKbps: Summary;
  fps: Summary;
  encryptUsPerFrame: Summary;
  decryptUsPerFrame: Summary;
  overheadKbps: Summary;
  /** The added bytes as a share of the upload, per participant. */
  overheadPct: Summary;
}

export function summarizeE2ee(runs: readonly E2eeRun[]): E2eeSummary[] {
  return [false, true].flatMap((e2ee) => {
    const windows = runs.filter((r) => r.e2ee === e2ee).flatMap((r) => r.participants);
    if (!windows.length) return [];
    const of = (pick: (w: E2eeWindow) => number | null) => summarize(windows.flatMap((w) => (pick(w) === null ? [] : [pick(w)!])));
    return [{
      e2ee,
      cpuPct: of((w) => w.cpuPct),
      uploadKbps: of((w) => w.uploadKbps),
      fps: of((w) => w.fps),
      encryptUsPerFrame: of((w) => w.encryptUsPerFrame),
      decryptUsPerFrame: of((w) => w.decryptUsPerFrame),
      overheadKbps: of((w) => w.overheadKbps),
      overheadPct: of((w) => (w.overheadKbps === null || !w.uploadKbps ? null : (w.overheadKbps / w.uploadKbps) * 100)),
    }];
  });
}
