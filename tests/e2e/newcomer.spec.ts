// What a newcomer hit, checked in real Chromium against the real server: the first Mute click in
// mesh reaches the others, failures that cannot succeed again offer no "Try again", long names
// stay inside their cards, and the stats panel fits 1024x768 and 1366x768 without horizontal
// overflow (element boxes are measured; screenshots are attached for people, never compared).
import { expect, test, type Page } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, openRoom, waitForStatus } from './call-fixtures';

test('mesh: the first click on Mute mutes, and the others see the microphone off', async ({ browser }) => {
  const all = await openRoom(browser, `mute-${Date.now()}`, 'mesh', 2, 'm');
  try {
    await expectEveryoneDecodesEveryone(all);
    const [a, b] = all;
    await a.page.getByTestId('toggle-mic').click();
    await expect.poll(() => a.page.evaluate(() => window.__call!.getSnapshot().localMedia.audio)).toBe(false);
    const selfId = (await a.snapshot()).selfId!;
    await expect(b.page.locator(`[data-testid="remote-tile"][data-peer-id="${selfId}"]`)).toHaveAttribute('data-audio', 'off');
    // Autoplay with sound is allowed while the page captures the camera: no "click to hear" banner.
    await expect(a.page.getByTestId('enable-sound')).toHaveCount(0);
  } finally {
    await closeAll(all);
  }
});

test('failures that cannot succeed again offer no "Try again"; a bad name is said so', async ({ browser }) => {
  const room = `final-${Date.now()}`;
  const mesh = await openParticipant(browser, room, 'mesh', 'first');
  try {
    await waitForStatus(mesh, 'joined');
    const wrong = await openParticipant(browser, room, 'sfu', 'second');
    try {
      await waitForStatus(wrong, 'failed');
      await expect(wrong.page.getByTestId('call-error')).toHaveAttribute('data-code', 'MODE_MISMATCH');
      await expect(wrong.page.getByTestId('retry-button')).toHaveCount(0);
      await expect(wrong.page.getByTestId('switch-mode-link')).toBeVisible();
    } finally {
      await wrong.close();
    }
  } finally {
    await mesh.close();
  }
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`/room/${room}?mode=mesh&autojoin=1&name=${'n'.repeat(41)}`);
    await expect(page.getByTestId('call-error')).toContainText('at most 40 characters');
    await expect(page.getByTestId('choose-name-link')).toBeVisible();
    await page.goto(`/room/${'r'.repeat(200)}?mode=mesh`);
    await expect(page.getByTestId('call-error')).toBeVisible();
    expect(await overflow(page, '[data-testid="bad-link"]')).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the stats panel fits 1024x768 and 1366x768 without horizontal overflow', async ({ browser }) => {
  test.setTimeout(180_000);
  const all = await openRoom(browser, `layout-${Date.now()}`, 'sfu', 3, 's');
  try {
    await expectEveryoneDecodesEveryone(all);
    const { page } = all[0];
    await page.getByTestId('stats-toggle').click();
    // The SFU columns follow the server's data: wait until they are there, as in the reported clipping.
    await expect(page.getByTestId('stats-table').locator('th', { hasText: 'SFU out' })).toBeVisible({ timeout: 20_000 });
    for (const [width, height] of [[1024, 768], [1366, 768]]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(1500); // charts follow their box on the next resize callback
      expect(await overflow(page, '[data-testid="stats-panel"]'), `overflow at ${width}x${height}`).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await test.info().attach(`stats-panel-${width}x${height}`, {
        body: await page.getByTestId('stats-panel').screenshot(),
        contentType: 'image/png',
      });
    }
  } finally {
    await closeAll(all);
  }
});

/** Elements inside `root` that stick out of it on the right, or hide content in a scroll box. */
function overflow(page: Page, root: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const box = document.querySelector(selector);
    if (!box) return [`${selector} missing`];
    const right = box.getBoundingClientRect().right + 1;
    const problems: string[] = [];
    for (const el of [box, ...box.querySelectorAll('*')]) {
      const rect = el.getBoundingClientRect();
      const name = `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${el.className}`;
      if (rect.width > 0 && rect.right > right) problems.push(`${name} ends at ${Math.round(rect.right)} > ${Math.round(right)}`);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
        problems.push(`${name} hides ${el.scrollWidth - el.clientWidth}px`);
      }
    }
    return problems;
  }, root);
}
