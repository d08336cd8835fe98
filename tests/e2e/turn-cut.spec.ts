// A cut path that only an ICE restart can repair, with real Chromium and the real coturn: every
// connection is forced through TURN (relay=1), then the failure drill restarts coturn (same port,
// same secret, so the credentials stay valid, but every allocation is gone). The relayed paths are
// dead for good; the ICE watchdog notices (disconnected / failed), restarts ICE (mesh: through
// negotiation; SFU: sfu:restartIce and transport.restartIce), gathers relay candidates on the new
// coturn, and video flows again on the same call: same peer ids, no rejoin, still relayed. Video
// moving again through TURN is itself the proof of new paths: the old allocations died with coturn.
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

      // The cut is seen. In SFU mode each page owns its transports to the server, so each page
      // sees its own cut and its repair. In mesh the two ends of a link notice at different times:
      // a side whose TURN socket reports an error at the restart fails at once, the other only when
      // its consent checks expire (about 5 s); when the first side leads the repair within those
      // seconds, the other's link never reads as down. So in mesh: someone's link goes down.
      const timelineKinds = async (p: (typeof all)[number]) => ((await p.page.evaluate(() => window.__call!.timeline())) as TimelineEntry[]).map((e) => e.kind);
      const sawCut = (kinds: string[]) => kinds.includes('link-down');
      const repaired = (kinds: string[]) => kinds.lastIndexOf('link-repaired') > kinds.lastIndexOf('link-down');
      if (mode === 'sfu') {
        for (const p of all) {
          await expect
            .poll(async () => { const k = await timelineKinds(p); return sawCut(k) && repaired(k); }, { message: `${p.name}: link down, then repaired`, timeout: 90_000 })
            .toBe(true);
        }
      } else {
        await expect
          .poll(async () => (await Promise.all(all.map(timelineKinds))).some(sawCut), { message: 'someone sees the relayed link go down', timeout: 30_000 })
          .toBe(true);
      }
      // Repaired: video from the other moves again, through TURN. The old allocations died with
      // coturn, so this is only possible on paths an ICE restart built on the new one.
      const before = await Promise.all(all.map(framesByPeer));
      for (const [i, p] of all.entries()) {
        await expect
          .poll(async () => Object.entries(await framesByPeer(p)).every(([name, n]) => n > before[i][name] + 10), { message: `${p.name}: video moves again`, timeout: 60_000 })
          .toBe(true);
        await expect
          .poll(async () => (await p.stats()).connectionDetails.every((c) => c.localCandidateType === 'relay'), { message: `${p.name}: still relayed` })
          .toBe(true);
      }
      // The same call: no rejoin, the same ids, and every page that saw its link down says so
      // and that it was repaired.
      for (const [i, p] of all.entries()) {
        const s = await p.snapshot();
        expect(s).toMatchObject({ status: 'joined', selfId: ids[i], error: null });
        expect(s.peers.map((peer) => peer.connectionState)).toEqual(['connected']);
        const kinds = await timelineKinds(p);
        expect(kinds, `${p.name} never rejoined`).not.toContain('rejoined');
        expect(kinds).not.toContain('media-rebuilt');
        if (sawCut(kinds)) expect(repaired(kinds), `${p.name}: the link it saw down is repaired`).toBe(true);
      }
    } finally {
      await closeAll(all);
    }
  });
}
