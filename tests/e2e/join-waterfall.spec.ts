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
      // The first frame comes after the join was acknowledged, which comes after the page was ready.
      const at = Object.fromEntries(w.steps.map((s) => [s.name, s.atMs!]));
      expect(at.joined).toBeGreaterThanOrEqual(at.signaling);
      expect(at.firstFrame).toBeGreaterThan(at.joined);
      expect(w.totalMs).toBe(at.firstFrame);
      await page.getByTestId('stats-toggle').click();
      await expect(page.getByTestId('join-waterfall')).toHaveAttribute('data-complete', 'true');
      await expect(page.getByTestId('join-step')).toHaveCount(6);
      await expect(page.getByTestId('join-total')).toContainText('ms');
    } finally {
      await closeAll(all);
    }
  });
}
