// What each topology survives, in real Chromium against the real server, using the operator's
// failure drill: mesh media keeps flowing through a signaling outage and everyone resumes the same
// seat afterwards (no ghosts, no duplicates); an SFU room whose worker is killed goes dark and
// rebuilds its media by itself, without a reload. Each page's timeline (window.__call.timeline(),
// the call-timeline list) tells the same story as events.
import { expect, test } from '@playwright/test';
import { E2E_OPERATOR_TOKEN } from '../../playwright.config';
import { closeAll, expectEveryoneDecodesEveryone, framesByPeer, openRoom, type Participant } from './call-fixtures';

async function drill(baseURL: string, action: string): Promise<void> {
  const res = await fetch(`${baseURL}/drill/${action}`, { method: 'POST', headers: { authorization: `Bearer ${E2E_OPERATOR_TOKEN}` } });
  expect(res.status, `drill ${action}`).toBe(200);
}

const rosterIds = async (p: Participant) => (await p.snapshot()).peers.map((peer) => peer.id).sort();
const timeline = (p: Participant) => p.page.evaluate(() => window.__call!.timeline());
const kinds = async (p: Participant) => (await timeline(p)).map((e) => e.kind);

test('mesh: media keeps flowing while signaling is down, and everyone resumes the same seat', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const all = await openRoom(browser, `outage-${Date.now()}`, 'mesh', 3, 'o');
  try {
    await expectEveryoneDecodesEveryone(all);
    const ids = await Promise.all(all.map(async (p) => (await p.snapshot()).selfId));
    const rosters = await Promise.all(all.map(rosterIds));
    const before = await Promise.all(all.map(framesByPeer));
    await drill(baseURL!, 'signaling-outage?seconds=6');
    await expect(all[0].page.getByTestId('signaling-state')).toContainText('peer-to-peer media continues');
    await all[0].page.waitForTimeout(4000);
    // Still inside the outage: frames from every peer kept growing, on every tab.
    const during = await Promise.all(all.map(framesByPeer));
    for (const [i, frames] of during.entries()) {
      for (const [name, count] of Object.entries(frames)) expect(count, `${all[i].name} from ${name}`).toBeGreaterThan(before[i][name] + 20);
    }
    for (const p of all) expect((await p.snapshot()).status).toBe('joined');
    // Back: same ids, same rosters, no reconnecting marks, no banner.
    for (const [i, p] of all.entries()) {
      await expect.poll(async () => (await p.page.evaluate(() => window.__call!.getSnapshot().signaling)), { timeout: 30_000 }).toBe('connected');
      expect((await p.snapshot()).selfId).toBe(ids[i]);
      await expect.poll(() => rosterIds(p)).toEqual(rosters[i]);
      await expect.poll(() => p.page.evaluate(() => window.__call!.getSnapshot().peers.some((peer) => peer.reconnecting))).toBe(false);
      await expect(p.page.getByTestId('remote-tile')).toHaveCount(2);
      // The timeline: signaling lost, then the same seat back, with the frames mesh kept decoding meanwhile.
      await expect.poll(() => kinds(p)).toEqual(expect.arrayContaining(['joined', 'signaling-lost', 'seat-resumed']));
      const events = await timeline(p);
      expect(events.findIndex((e) => e.kind === 'signaling-lost')).toBeLessThan(events.findIndex((e) => e.kind === 'seat-resumed'));
      const resumed = events.find((e) => e.kind === 'seat-resumed')!;
      expect(resumed.frames, `${p.name}: frames decoded while signaling was down`).toBeGreaterThan(0);
      expect(events.map((e) => e.kind), `${p.name}: no rejoin, no rebuild`).not.toEqual(expect.arrayContaining(['seat-lost']));
      await expect(p.page.locator('[data-testid="timeline-event"][data-kind="seat-resumed"]')).toContainText('media kept flowing');
    }
    await expectEveryoneDecodesEveryone(all);
  } finally {
    await closeAll(all);
  }
});

test('SFU: a killed worker makes the room go dark, then its media comes back without a reload', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const all = await openRoom(browser, `worker-${Date.now()}`, 'sfu', 3, 'w');
  try {
    await expectEveryoneDecodesEveryone(all);
    const urls = all.map((p) => p.page.url());
    await drill(baseURL!, 'kill-worker');
    // Everyone rebuilds on its own page (on the same socket: the server may keep its peer id), and decodes everyone again.
    await expect.poll(async () => (await Promise.all(all.map(async (p) => (await p.snapshot()).status))).every((s) => s === 'joined'), { timeout: 30_000 }).toBe(true);
    for (const p of all) await expect.poll(async () => (await p.snapshot()).peers.length, { timeout: 30_000 }).toBe(2);
    // Each timeline: media dropped while signaling stayed up, then rebuilt (not a signaling outage).
    for (const p of all) {
      await expect.poll(() => kinds(p), { timeout: 30_000 }).toEqual(expect.arrayContaining(['joined', 'media-lost', 'media-rebuilt']));
      expect(await kinds(p), p.name).not.toEqual(expect.arrayContaining(['signaling-lost']));
      await expect(p.page.locator('[data-testid="timeline-event"][data-kind="media-rebuilt"]')).not.toHaveCount(0);
    }
    await expectEveryoneDecodesEveryone(all);
    expect(all.map((p) => p.page.url())).toEqual(urls); // no reload, no navigation
    for (const p of all) expect((await p.snapshot()).error).toBeNull();
  } finally {
    await closeAll(all);
  }
});
