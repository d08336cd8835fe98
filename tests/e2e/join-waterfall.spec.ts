// The join waterfall on real pages: in a two-person mesh call and a two-person SFU call, the
// second participant's getSnapshot().joinWaterfall reaches every step, from navigation to its first
// decoded remote frame, and the stats panel shows the same steps. No timing thresholds: the
// figures are the benchmark's business (npm run bench:ttff).
import { expect, test } from '@playwright/test';
import { closeAll, openRoom } from './call-fixtures';

for (const mode of ['mesh', 'sfu'] as const) {
  test(`${mode}: the newcomer's waterfall reaches its first frame, step by step, in the hook and the panel`, async ({ browser }) => {
    const all = await openRoom(browser, `waterfall-${mode}-${Date.now()}`, mode, 2, 'w');
    try {
      const page = all[1].page;
      const waterfall = () => page.evaluate(() => window.__call!.getSnapshot().joinWaterfall);
      await expect.poll(async () => (await waterfall()).complete, { message: 'every step reached' }).toBe(true);
      const w = await waterfall();
      expect(w.fromNavigation).toBe(true);
      expect(w.steps.map((s) => s.name)).toEqual(['pageReady', 'media', 'signaling', 'joined', 'transports', 'firstFrame']);
      expect(w.totalMs).toBeGreaterThan(0);
      // Only the orders the code guarantees: the camera is taken once the page runs, the engine
      // joins with it over a connected socket, connects media after the ack, and (mesh) decodes
      // only over a connected peer connection. Signaling may connect before the page is ready
      // (preconnect.ts), and an SFU send transport may connect after the first frame.
      const at = Object.fromEntries(w.steps.map((s) => [s.name, s.atMs!]));
      expect(at.pageReady).toBeGreaterThan(0);
      expect(at.media).toBeGreaterThanOrEqual(at.pageReady);
      expect(at.joined).toBeGreaterThanOrEqual(Math.max(at.signaling, at.media));
      expect(at.transports).toBeGreaterThanOrEqual(at.joined);
      expect(at.firstFrame).toBeGreaterThan(at.joined);
      if (mode === 'mesh') expect(at.firstFrame).toBeGreaterThanOrEqual(at.transports);
      expect(w.totalMs).toBe(at.firstFrame);
      await page.getByTestId('stats-toggle').click();
      const panel = page.getByTestId('join-waterfall');
      await expect(panel).toHaveAttribute('data-complete', 'true');
      // The panel reads the same marks as the hook: the same total and the same steps, all reached.
      await expect(panel).toHaveAttribute('data-total-ms', String(w.totalMs));
      const rows = page.getByTestId('join-step');
      await expect(rows).toHaveCount(6);
      for (const [i, step] of w.steps.entries()) {
        await expect(rows.nth(i)).toHaveAttribute('data-step', step.name);
        await expect(rows.nth(i)).toHaveAttribute('data-state', 'reached');
        await expect(rows.nth(i)).toHaveAttribute('data-ms', String(step.ms));
      }
      await expect(page.getByTestId('join-total')).toContainText('ms');
    } finally {
      await closeAll(all);
    }
  });
}
