// Captures real getStats() JSON from Debian's Chromium for the normalizer's tests: three tabs in a
// mesh room and three in an SFU room (simulcast), two consecutive samples from the first tab, and a
// third after the last tab left. Run against a running server:
//   BASE_URL=http://127.0.0.1:3302 node --import tsx scripts/dev/capture-stats-fixtures.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../kit/lib/browser/chromium';
import { roomUrl, type Mode } from '../kit/lib/browser/room-url';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const out = 'tests/fixtures/stats';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(browser: Browser, room: string, mode: Mode, name: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(roomUrl(base, room, { mode, name, autojoin: true }));
  await page.waitForFunction(() => window.__call?.getSnapshot().status === 'joined', null, { timeout: 30_000 });
  return page;
}

async function rawSample(page: Page) {
  return page.evaluate(async () => ({ now: Date.now(), raw: await window.__call!.getRawStats() }));
}

async function capture(browser: Browser, mode: Mode): Promise<void> {
  const room = `fixture-${mode}-${Date.now()}`;
  const pages: Page[] = [];
  for (const name of ['p1', 'p2', 'p3']) pages.push(await open(browser, room, mode, name));
  const first = pages[0];
  // Until p1 decodes video from both others, then a few seconds more for the encoders to ramp up.
  await first.waitForFunction(
    async () => {
      const stats = await window.__call!.getStats();
      return stats.peers.length === 2 && stats.peers.every((p) => p.framesDecoded > 30);
    },
    null,
    { timeout: 60_000, polling: 1000 },
  );
  await sleep(4000);
  const snapshot = await first.evaluate(() => window.__call!.getSnapshot());
  const samples = [await rawSample(first)];
  await sleep(1000);
  samples.push(await rawSample(first));
  // A peer leaving between samples: its connection (mesh) or its consumers (SFU) vanish.
  const leaver = snapshot.peers.find((p) => p.name === 'p3')?.id ?? null;
  await pages[2].context().close();
  await first.waitForFunction(() => window.__call!.getSnapshot().peers.length === 1, null, { timeout: 20_000 });
  await sleep(1000);
  samples.push(await rawSample(first));
  const fixture = {
    mode,
    selfId: snapshot.selfId,
    roster: snapshot.peers.map((p) => ({ id: p.id, name: p.name })),
    leaver,
    userAgent: await first.evaluate(() => navigator.userAgent),
    samples,
  };
  await writeFile(`${out}/${mode}-3tabs.json`, JSON.stringify(fixture, null, 1) + '\n');
  console.log(`${mode}: ${samples.map((s) => s.raw.length).join('/')} connections per sample -> ${out}/${mode}-3tabs.json`);
  for (const page of pages.slice(0, 2)) await page.context().close();
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  await mkdir(out, { recursive: true });
  await capture(browser, 'mesh');
  await capture(browser, 'sfu');
} finally {
  await browser.close();
}
