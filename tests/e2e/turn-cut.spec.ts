// A cut path that only an ICE restart can repair, with real Chromium and the real coturn: every
// connection is forced through TURN (relay=1), then the failure drill restarts coturn (same port,
// same secret, so the credentials stay valid, but every allocation is gone). The relayed paths are
// dead for good; the ICE watchdog notices (disconnected / failed), restarts ICE (mesh: through
// negotiation; SFU: sfu:restartIce and transport.restartIce), gathers relay candidates on the new
// coturn, and video flows again on the same call: same peer ids, no rejoin, still relayed.
import { expect, test } from '@playwright/test';
import { E2E_OPERATOR_TOKEN } from '../../playwright.config';
import { closeAll, expectEveryoneDecodesEveryone, framesByPeer, openRoom, type Mode } from './call-fixtures';

interface TimelineEntry {
  kind: string;
  text: string;
}

for (const mode of ['mesh', 'sfu'] as Mode[]) {
  test(`${mode}: relayed connections cut by a coturn restart are repaired by ICE restarts, without a rejoin`, async ({ browser, baseURL, request }) => {
    test.setTimeout(150_000);
    const ready = await (await request.get('/readyz')).json();
    expect(ready.turn, 'the server runs coturn for this test').toMatchObject({ available: true });
    const all = await openRoom(browser, `turn-cut-${mode}-${Date.now()}`, mode, 2, 't', '&relay=1');
    try {
      await expectEveryoneDecodesEveryone(all);
      const ids = await Promise.all(all.map(async (p) => (await p.snapshot()).selfId));
      const res = await fetch(`${baseURL}/drill/restart-turn`, { method: 'POST', headers: { authorization: `Bearer ${E2E_OPERATOR_TOKEN}` } });
      expect(res.status).toBe(202);

      // The cut is seen and repaired: each page's timeline says its link went down and came back.
      for (const p of all) {
        await expect
          .poll(async () => ((await p.page.evaluate(() => window.__call!.timeline())) as TimelineEntry[]).map((e) => e.kind), {
            message: `${p.name}: link down, then repaired`,
            timeout: 90_000,
          })
          .toEqual(expect.arrayContaining(['link-down', 'link-repaired']));
      }
      // Same call: no rejoin, the same ids, and video from the other moves again through TURN.
      for (const [i, p] of all.entries()) {
        const s = await p.snapshot();
        expect(s).toMatchObject({ status: 'joined', selfId: ids[i], error: null });
        const kinds = ((await p.page.evaluate(() => window.__call!.timeline())) as TimelineEntry[]).map((e) => e.kind);
        expect(kinds, `${p.name} never rejoined`).not.toContain('rejoined');
        expect(kinds).not.toContain('media-rebuilt');
      }
      const before = await Promise.all(all.map(framesByPeer));
      for (const [i, p] of all.entries()) {
        await expect
          .poll(async () => Object.entries(await framesByPeer(p)).every(([name, n]) => n > before[i][name] + 10), { message: `${p.name}: video moves again`, timeout: 30_000 })
          .toBe(true);
        await expect
          .poll(async () => (await p.stats()).connectionDetails.every((c) => c.localCandidateType === 'relay'), { message: `${p.name}: still relayed` })
          .toBe(true);
      }
    } finally {
      await closeAll(all);
    }
  });
}
