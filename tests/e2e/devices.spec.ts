// Devices during a call, in both modes, in real Chromium: when the camera in use goes away (its track
// ends, as when it is unplugged) the call falls back to the default camera without renegotiating,
// says so, and the other participant keeps decoding frames although the old track was stopped.
import { expect, test, type Page } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, framesByPeer, openRoom } from './call-fixtures';

const localVideoTrackId = (page: Page) =>
  page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="local-tile"] video');
    return (video?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id ?? null;
  });

for (const mode of ['mesh', 'sfu'] as const) {
  test(`${mode}: an unplugged camera falls back to the default one and the others keep seeing us`, async ({ browser }) => {
    const all = await openRoom(browser, `devices-${mode}-${Date.now()}`, mode, 2, 'd');
    try {
      await expectEveryoneDecodesEveryone(all);
      const [a, b] = all;
      const before = await localVideoTrackId(a.page);
      // What the browser does when a camera is unplugged: the track ends by itself.
      await a.page.evaluate(() => {
        const video = document.querySelector<HTMLVideoElement>('[data-testid="local-tile"] video');
        (video!.srcObject as MediaStream).getVideoTracks()[0].dispatchEvent(new Event('ended'));
      });
      await expect(a.page.getByTestId('device-notice')).toContainText('switched to');
      await expect.poll(() => localVideoTrackId(a.page)).not.toBe(before);
      // The old track is stopped now: frames keep arriving only if every connection sends the new one.
      const frames = (await framesByPeer(b))[a.name];
      await expect.poll(async () => (await framesByPeer(b))[a.name], { timeout: 15_000 }).toBeGreaterThan(frames + 30);
      expect((await a.snapshot()).status).toBe('joined');
    } finally {
      await closeAll(all);
    }
  });
}
