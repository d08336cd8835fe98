// Mixed rooms: Debian's Firefox ESR (driven by puppeteer-core over WebDriver BiDi; Playwright
// cannot drive a stock Firefox) and Chromium in one call, in mesh and in SFU mode: in the network
// lab, each on its own host (needs root; CI runs as root), and on this one machine, where Firefox at
// its defaults pairs no loopback candidate and so reaches the SFU only on the machine's LAN address.
import { expect, test, type Page } from '@playwright/test';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { launchChromium } from '../../scripts/kit/lib/browser/chromium';
import { launchFirefox } from '../../scripts/kit/lib/browser/firefox';
import { READ_JS, type ProbeReading } from '../../scripts/kit/lib/browser/probe';
import { roomUrl, type Mode } from '../../scripts/kit/lib/browser/room-url';
import { openLab } from '../../scripts/kit/lib/lab/lab';
import { requireLab } from './lab-fixtures';

type Reading = Omit<ProbeReading, 't'>;

for (const mode of ['mesh', 'sfu'] as Mode[]) {
  test(`${mode}: Firefox and Chromium in one room decode each other, and Firefox's stats are read right`, async () => {
    requireLab();
    test.setTimeout(120_000);
    const lab = await openLab(['public', 'public'], { turn: false });
    const server = await lab.startServer();
    const chromium = await launchChromium({ executablePath: lab.chromiumFor(lab.hosts[0]), args: lab.chromiumArgs(server.labUrl) });
    const firefox = await lab.launchFirefox(lab.hosts[1]);
    try {
      const room = `mixed-${mode}-${Date.now()}`;
      const cPage = await (await chromium.newContext({ permissions: ['camera', 'microphone'] })).newPage();
      await cPage.goto(roomUrl(server.labUrl, room, { mode, name: 'chromium', autojoin: true }));
      const fPage: FirefoxPage = await firefox.newPage();
      await fPage.goto(roomUrl(server.labUrl, room, { mode, name: 'firefox', autojoin: true }));
      await expectMixedCall(cPage, fPage);
    } finally {
      await firefox.close().catch(() => undefined);
      await chromium.close().catch(() => undefined);
      await server.stop();
      expect(await lab.close()).toEqual([]);
    }
  });
}

for (const e2ee of [false, true]) {
  test(`SFU on one machine${e2ee ? ', end-to-end encrypted' : ''}: Firefox and Chromium decode each other with no lab and no Firefox setting changed`, async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    const base = testInfo.project.use.baseURL!;
    const firefox = await launchFirefox();
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    try {
      const room = `mixed-local-${e2ee ? 'e2ee-' : ''}${Date.now()}`;
      const cPage = await context.newPage();
      await cPage.goto(roomUrl(base, room, { mode: 'sfu', name: 'chromium', autojoin: true, e2ee }));
      const fPage = await firefox.newPage();
      await fPage.goto(roomUrl(base, room, { mode: 'sfu', name: 'firefox', autojoin: true, e2ee }));
      await expectMixedCall(cPage, fPage);
      if (e2ee) {
        // Both browsers hold each other's key and show the same safety code.
        const code = (page: { evaluate: (f: () => unknown) => Promise<unknown> }) =>
          page.evaluate(() => (window.__call!.getSnapshot() as unknown as { e2ee: { safetyCode: string; keyedPeers: string[] } }).e2ee) as Promise<{ safetyCode: string; keyedPeers: string[] }>;
        const [c, f] = [await code(cPage), await code(fPage)];
        expect([c.keyedPeers.length, f.keyedPeers.length]).toEqual([1, 1]);
        expect(f.safetyCode).toBe(c.safetyCode);
      }
    } finally {
      await context.close();
      await firefox.close().catch(() => undefined);
    }
  });
}

/** Each decodes the other (video moving), and Firefox's stats read through the normalizer show it sending. */
async function expectMixedCall(cPage: Page, fPage: FirefoxPage): Promise<void> {
  const read = {
    chromium: () => cPage.evaluate(READ_JS) as Promise<Reading | null>,
    firefox: () => fPage.evaluate(READ_JS) as Promise<Reading | null>,
  };
  for (const [who, other] of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    await expect
      .poll(async () => (await read[who]())?.frames.find((f) => f.name === other)?.framesDecoded ?? 0, { message: `${who} decodes ${other}`, timeout: 45_000 })
      .toBeGreaterThan(30);
  }
  // Firefox's own numbers, from its getStats through the same normalizer: it sends camera video
  // (not receive-only) over a selected pair with a known candidate type.
  const f = await read.firefox();
  expect(f).toMatchObject({ status: 'joined', error: null });
  await expect
    .poll(async () => {
      const sample = (await read.firefox())?.sample;
      const pair = sample?.connectionStats.find((c) => c.localCandidateType);
      return { sending: (sample?.upload.videoKbps ?? 0) > 50, pair: pair?.localCandidateType ?? null };
    }, { message: 'Firefox uploads video over a selected pair', timeout: 20_000 })
    .toEqual({ sending: true, pair: 'host' });
}
