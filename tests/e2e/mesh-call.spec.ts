// Three real Chromium tabs in one mesh room: everyone sees everyone, a closed tab disappears
// promptly, and a tab asking for the other mode is told so.
import { expect, test } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, openRoom, waitForPeerCount } from './call-fixtures';

test('three tabs hold a mesh call; a leaver disappears; the wrong mode is refused', async ({ browser }) => {
  const room = `mesh-${Date.now()}`;
  const [a, b, c] = await openRoom(browser, room, 'mesh', 3);
  try {
    await expectEveryoneDecodesEveryone([a, b, c]);

    // Each mesh tab uploads over one connection per other participant.
    const stats = await a.stats();
    expect(stats.connections).toBe(2);
    expect(stats.uploadConnections).toBe(2);
    expect(stats.bytesSent).toBeGreaterThan(0);

    await c.close();
    // Signaling disconnect, not an ICE timeout (which takes tens of seconds): a few seconds at most.
    await waitForPeerCount(a, 1, 5_000);
    await waitForPeerCount(b, 1, 5_000);
    expect((await a.snapshot()).peers.map((p) => p.name)).toEqual(['p2']);

    const wrong = await openParticipant(browser, room, 'sfu', 'intruder');
    try {
      await expect.poll(async () => (await wrong.snapshot()).status).toBe('failed');
      const snap = await wrong.snapshot();
      expect(snap.error?.code).toBe('MODE_MISMATCH');
      await expect(wrong.page.getByTestId('call-error')).toBeVisible();
      // The call of the others goes on untouched.
      await waitForPeerCount(a, 1);
    } finally {
      await wrong.close();
    }
  } finally {
    await closeAll([a, b, c]);
  }
});
