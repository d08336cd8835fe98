// The connectivity check page against the real server and its managed coturn: candidates are
// gathered with the issued credentials and data really crosses the TURN relay; plus the lobby's
// relay-only option reaching the room URL.
import { expect, test } from '@playwright/test';

test('connectivity check lists host and relay candidates and passes the relay loopback test', async ({ page, request }) => {
  const ready = await (await request.get('/readyz')).json();
  expect(ready.turn, 'the server runs coturn for this test').toMatchObject({ available: true });

  await page.goto('/connectivity');
  await page.getByTestId('connectivity-run').click();
  await expect(page.getByTestId('connectivity-verdict')).toBeVisible({ timeout: 60_000 });

  expect(await page.locator('[data-testid="candidate-row"][data-type="host"]').count()).toBeGreaterThan(0);
  expect(await page.locator('[data-testid="candidate-row"][data-type="relay"]').count()).toBeGreaterThan(0);

  const relay = page.getByTestId('relay-test-result');
  await expect(relay).toHaveAttribute('data-ok', 'true');
  await expect(relay).toHaveAttribute('data-local-type', 'relay');
  const rtt = Number(await relay.getAttribute('data-rtt-ms'));
  expect(Number.isFinite(rtt), `numeric RTT, got ${rtt}`).toBe(true);
  expect(rtt).toBeGreaterThanOrEqual(0);

  await expect(page.getByTestId('direct-test-result')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('connectivity-verdict')).toContainText('TURN works');
});

test('lobby: ticking "relay only" puts relay=1 in the room URL; the lobby links to the check', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('lobby-connectivity-link')).toHaveAttribute('href', '/connectivity');
  await page.getByTestId('lobby-room').fill(`relay-lobby-${Date.now()}`);
  await page.getByTestId('lobby-name').fill('Ada');
  await page.getByTestId('lobby-relay').check();
  await page.getByTestId('lobby-submit').click();
  await page.waitForURL(/\/room\//);
  const url = new URL(page.url());
  expect(url.searchParams.get('relay')).toBe('1');
  expect(url.searchParams.get('mode')).toBe('mesh');
});

test('lobby: without the box ticked the room URL has no relay flag', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('lobby-room').fill(`direct-lobby-${Date.now()}`);
  await page.getByTestId('lobby-name').fill('Ada');
  await page.getByTestId('lobby-submit').click();
  await page.waitForURL(/\/room\//);
  expect(new URL(page.url()).searchParams.get('relay')).toBeNull();
});
