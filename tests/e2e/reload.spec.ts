// A page that reloads leaves no ghost: its old seat goes at once (the page's leave beacon), not
// after the 20 s reconnect grace period, so the others never see a greyed extra tile for it, even
// when the goodbye over its socket is lost.
import { expect, test } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openRoom, type Participant } from './call-fixtures';

for (const mode of ['mesh', 'sfu'] as const) {
  test(`${mode}: a reloaded page's old seat is gone before the grace period, and the call goes on`, async ({ browser }) => {
    const all: Participant[] = await openRoom(browser, `reload-${mode}-${Date.now()}`, mode, 2, 'r');
    try {
      await expectEveryoneDecodesEveryone(all);
      const oldId = (await all[1].snapshot()).selfId;
      // The goodbye over the socket is lost (as it sometimes is with a closing page): from here on
      // the page's WebSocket sends nothing, so only the beacon can tell the server it is gone.
      await all[1].page.evaluate(() => {
        WebSocket.prototype.send = () => undefined;
      });
      await all[1].page.reload();
      await all[1].page.waitForFunction(() => window.__call?.getSnapshot().status === 'joined');
      // The other side's roster: one peer, the new seat, and nobody held as reconnecting.
      await expect
        .poll(async () => (await all[0].snapshot()).peers.map((p) => (p.id === oldId ? 'old seat' : 'new seat')), {
          // Well under the 20 s grace period a lost goodbye would hold the old seat for.
          message: 'the old seat is gone',
          timeout: 10_000,
        })
        .toEqual(['new seat']);
      await expectEveryoneDecodesEveryone(all);
    } finally {
      await closeAll(all);
    }
  });
}
