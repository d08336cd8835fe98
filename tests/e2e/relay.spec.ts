// Forced TURN relay (&relay=1) with the real coturn the server manages: in both modes every
// connection's selected local candidate is a relay candidate, and video keeps flowing.
import { expect, test } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openRoom, type Mode, type Participant } from './call-fixtures';

async function expectAllRelayed(all: Participant[], connectionsEach: number) {
  for (const p of all) {
    await expect
      .poll(async () => (await p.stats()).connectionDetails.map((c) => c.localCandidateType), {
        message: `${p.name}: selected local candidate types`,
      })
      .toEqual(Array(connectionsEach).fill('relay'));
  }
}

for (const mode of ['mesh', 'sfu'] as Mode[]) {
  test(`${mode}: three tabs with relay forced go through TURN`, async ({ browser, request }) => {
    const ready = await (await request.get('/readyz')).json();
    expect(ready.turn, 'the server runs coturn for this test').toMatchObject({ available: true });
    const all = await openRoom(browser, `relay-${mode}-${Date.now()}`, mode, 3, 'r', '&relay=1');
    try {
      await expectEveryoneDecodesEveryone(all);
      await expectAllRelayed(all, 2); // mesh: one per other peer; SFU: send + receive transports
      const details = (await all[0].stats()).connectionDetails;
      expect(details.every((c) => c.relayed)).toBe(true);
    } finally {
      await closeAll(all);
    }
  });
}

test('without relay forced, loopback connections are direct (host candidates)', async ({ browser }) => {
  const all = await openRoom(browser, `direct-${Date.now()}`, 'mesh', 2, 'd');
  try {
    await expectEveryoneDecodesEveryone(all);
    await expect
      .poll(async () => (await all[0].stats()).connectionDetails.map((c) => c.localCandidateType))
      .toEqual(['host']);
  } finally {
    await closeAll(all);
  }
});
