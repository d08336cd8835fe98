// A phone in the call: a 390x844 touch viewport (an iPhone 12-14's CSS size) joins a room of three.
// Its tiles stack inside the screen, its controls sit inside the viewport where a thumb reaches
// them, nothing scrolls sideways (also with the stats panel open), and a tap pins a tile.
import { expect, test, type Page } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, roomUrl, waitForStatus, openParticipant, type Participant } from './call-fixtures';

const PHONE = { width: 390, height: 844 };

/**
 * Elements sticking out of the phone's width on either side (measured against 390 px, not
 * innerWidth: a mobile viewport widens itself to fit content that overflows), and the page's
 * sideways scroll. Content inside a box that scrolls sideways itself (a wide table) is reachable
 * by swiping that box, so only the box has to fit.
 */
function sideways(page: Page): Promise<{ scroll: number; outside: string[] }> {
  return page.evaluate((width) => {
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const outside: string[] = [];
    for (const el of document.querySelectorAll('.call *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      let box = el.parentElement;
      while (box && !scrolls(box)) box = box.parentElement;
      if (box && box.closest('.call')) continue;
      if (r.left < -1 || r.right > width + 1) {
        const id = el.getAttribute('data-testid');
        outside.push(`${el.tagName.toLowerCase()}.${el.className}${id ? `[${id}]` : ''} ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    return { scroll: Math.max(document.documentElement.scrollWidth, window.innerWidth) - width, outside };
  }, PHONE.width);
}

test('on a 390x844 phone the call fits: tiles stack, controls in reach, no sideways scroll', async ({ browser }) => {
  test.setTimeout(180_000);
  const room = `phone-${Date.now()}`;
  const others: Participant[] = [];
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 3, permissions: ['camera', 'microphone'] });
  try {
    others.push(await openParticipant(browser, room, 'mesh', 'desk1'));
    await waitForStatus(others[0], 'joined');
    others.push(await openParticipant(browser, room, 'mesh', 'desk2'));
    await waitForStatus(others[1], 'joined');
    const page = await phone.newPage();
    await page.goto(roomUrl(room, 'mesh', 'phone'));
    await page.waitForFunction(() => typeof window.__call?.getSnapshot === 'function');
    const me: Participant = {
      name: 'phone',
      page,
      snapshot: () => page.evaluate(() => window.__call!.getSnapshot() as never),
      stats: () => page.evaluate(() => window.__call!.getStats() as never),
      close: () => phone.close(),
    };
    await waitForStatus(me, 'joined');
    await expectEveryoneDecodesEveryone([me, ...others]);

    const tiles = page.locator('[data-testid="local-tile"], [data-testid="remote-tile"]');
    await expect(tiles).toHaveCount(3);
    const boxes = await Promise.all([0, 1, 2].map(async (i) => (await tiles.nth(i).boundingBox())!));
    for (const box of boxes) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      // Stacked: each tile takes (nearly) the whole width, one under the other.
      expect(box.width).toBeGreaterThan(PHONE.width * 0.8);
    }
    expect(boxes[1].y).toBeGreaterThanOrEqual(boxes[0].y + boxes[0].height);
    expect(await sideways(page)).toEqual({ scroll: 0, outside: [] });

    // The controls are on screen (sticky at the bottom) without scrolling, and a tap works.
    for (const id of ['toggle-mic', 'toggle-camera', 'leave-button']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.y + box.height, `${id} inside the viewport`).toBeLessThanOrEqual(PHONE.height);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(box.width).toBeGreaterThanOrEqual(40); // a finger's size
    }
    await page.getByTestId('toggle-mic').tap();
    await expect(page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true');

    // A tap on a tile's pin shows it large; again unpins it.
    const remote = page.getByTestId('remote-tile').first();
    await remote.getByTestId('pin-tile').tap();
    await expect(remote).toHaveAttribute('data-pinned', 'true');
    expect(await sideways(page)).toEqual({ scroll: 0, outside: [] });
    await remote.getByTestId('pin-tile').tap();
    await expect(remote).toHaveAttribute('data-pinned', 'false');

    // The stats panel opens below and fits the width too.
    await page.getByTestId('stats-toggle').tap();
    await expect(page.getByTestId('stats-table')).toBeVisible({ timeout: 20_000 });
    await page.waitForTimeout(1500); // charts follow their box on the next resize callback
    expect(await sideways(page)).toEqual({ scroll: 0, outside: [] });
    await test.info().attach('phone-call', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  } finally {
    await closeAll(others);
    await phone.close().catch(() => undefined);
  }
});
