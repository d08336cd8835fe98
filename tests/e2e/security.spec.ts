// The web surface's headers, checked on the real server in real Chromium: every page carries a
// Content-Security-Policy with a fresh nonce that Next.js stamped on each of its scripts, and the
// app actually works under it (calls in both modes with the stats panel, the connectivity check,
// the presentation view) without a single policy violation.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openRoom, waitForPeerCount, type Participant } from './call-fixtures';

test('pages carry a nonce CSP (fresh per request, on every script) and the base security headers; JSON routes too', async ({ baseURL }) => {
  const policies: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${baseURL}/`);
    const policy = res.headers.get('content-security-policy') ?? '';
    policies.push(policy);
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval'); // production server
    const nonce = /'nonce-([^']+)'/.exec(policy)![1];
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, 'every script carries the nonce').toContain(`nonce="${nonce}"`);
  }
  expect(policies[0]).not.toBe(policies[1]);

  for (const path of ['/', '/api/lobby', '/readyz']) {
    const res = await fetch(`${baseURL}${path}`);
    expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    expect(res.headers.get('permissions-policy'), path).toContain('camera=(self)');
  }
});

/** Collects CSP violations of every page in the context, from the DOM event and the console. */
async function watchViolations(context: BrowserContext, into: string[]): Promise<void> {
  await context.exposeFunction('__reportCspViolation', (text: string) => into.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation(t: string): void }).__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const onPage = (page: Page) => page.on('console', (m) => /Content Security Policy/i.test(m.text()) && into.push(m.text()));
  context.pages().forEach(onPage);
  context.on('page', onPage);
}

test('calls in both modes, the stats panel, the connectivity check and the presentation view run without a CSP violation', async ({ browser }) => {
  test.setTimeout(180_000);
  const violations: string[] = [];
  const all: Participant[] = [];
  try {
    for (const mode of ['mesh', 'sfu'] as const) {
      const room = await openRoom(browser, `csp-${mode}-${Date.now()}`, mode, 2, mode);
      all.push(...room);
      // The violations of the pages that loaded before the watcher existed come from the console
      // and the report hook, so reload them under watch and let them rejoin.
      for (const p of room) {
        await watchViolations(p.page.context(), violations);
        await p.page.reload();
        await p.page.waitForFunction(() => window.__call?.getSnapshot().status === 'joined', undefined, { timeout: 30_000 });
      }
      // A reload is a new participant; the old page's goodbye (sent on pagehide) can be lost with
      // the closing socket, and then its seat is held as "reconnecting" for the grace period (20 s).
      // Wait for the rosters to hold exactly the two reloaded pages.
      for (const p of room) await waitForPeerCount(p, room.length - 1, 40_000);
      await expectEveryoneDecodesEveryone(room);
      await room[0].page.getByTestId('stats-toggle').click();
      await expect(room[0].page.getByTestId('connection-path').first()).toBeVisible({ timeout: 20_000 });
    }
    const context = await browser.newContext();
    await watchViolations(context, violations);
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByTestId('lobby-submit')).toBeVisible();
    await page.goto('/connectivity');
    await page.getByTestId('connectivity-run').click();
    await expect(page.getByTestId('connectivity-verdict')).toBeVisible({ timeout: 60_000 });
    await page.goto('/present');
    await expect(page.getByTestId('present-load')).toBeAttached();
    await context.close();
    expect(violations).toEqual([]);
  } finally {
    await closeAll(all);
  }
});
