// Helpers for the live-stats E2E scenario: read the normalized samples a tab collects (window.__call
// getSample/exportSamples) and boil them down to the figures the test compares across modes.
import { expect } from '@playwright/test';
import type { Participant } from './call-fixtures';

export interface SampleJson {
  timestamp: number;
  mode: 'mesh' | 'sfu';
  upload: { totalKbps: number | null; audioKbps: number | null; videoKbps: number | null };
  download: { totalKbps: number | null };
  activeEncoders: number;
  connections: number;
  pingRtt: Record<string, number | null>;
  connectionStats: { rttMs: number | null; localCandidateType: string | null }[];
}

export interface TabFigures {
  name: string;
  videoUploadKbps: number;
  encoders: number;
  pingMs: number[];
}

export const samplesOf = (p: Participant) =>
  p.page.evaluate(() => (window.__call as unknown as { exportSamples(): unknown[] }).exportSamples() as unknown as SampleJson[]);

export const latestSample = (p: Participant) =>
  p.page.evaluate(() => (window.__call as unknown as { getSample(): unknown }).getSample() as SampleJson | null);

/** Waits until the tab has a ping RTT to each of its `others` peers and video flowing out. */
export async function waitForLiveStats(p: Participant, others: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const s = await latestSample(p);
        const pings = Object.values(s?.pingRtt ?? {}).filter((v) => v !== null).length;
        return pings === others && (s?.upload.videoKbps ?? 0) > 0;
      },
      { message: `${p.name}: ping RTT to ${others} peers and video upload`, timeout: 45_000 },
    )
    .toBe(true);
}

/**
 * Waits (bounded) for the tab's video upload to stop climbing: bandwidth estimation starts low and
 * ramps for several seconds, and mesh ramps one estimator per connection. Returns either way, since
 * the comparison that follows is generous; the bound keeps the test finite on a busy machine.
 */
export async function settleUpload(p: Participant, maxSeconds = 40): Promise<void> {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  for (let i = 0; i < maxSeconds; i++) {
    const ups = (await samplesOf(p)).map((s) => s.upload.videoKbps ?? 0);
    if (ups.length >= 8 && mean(ups.slice(-4)) <= 1.1 * mean(ups.slice(-8, -4))) return;
    await p.page.waitForTimeout(1000);
  }
}

/** Mean video upload and the latest encoders / ping RTTs over the tab's last `count` samples. */
export async function figures(p: Participant, count = 5): Promise<TabFigures> {
  const samples = (await samplesOf(p)).slice(-count);
  const ups = samples.map((s) => s.upload.videoKbps).filter((v): v is number => v !== null);
  const last = samples.at(-1)!;
  return {
    name: p.name,
    videoUploadKbps: ups.reduce((a, b) => a + b, 0) / Math.max(1, ups.length),
    encoders: last.activeEncoders,
    pingMs: Object.values(last.pingRtt).filter((v): v is number => v !== null),
  };
}
