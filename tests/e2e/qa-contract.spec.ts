// Guards the README's QA contract: reads its list of stable test ids, window.__call hooks and room
// URL parameters, and checks each one on the real pages in real Chromium, so the document and the
// page cannot drift apart again. An id the README lists but no scenario here shows fails too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_OPERATOR_TOKEN } from '../../playwright.config';
import { expect, test, type Page } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, waitForStatus } from './call-fixtures';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const contract = readme.slice(readme.indexOf('## QA contract'), readme.indexOf('### Writing your own scenarios'));
const idsText = contract.slice(contract.indexOf('Stable `data-testid`s'), contract.indexOf('GET /readyz'));
const hooksText = contract.slice(contract.indexOf('window.__call'), contract.indexOf('`&relay=1`'));

/** `name` tokens of the ids paragraph, minus the data attributes named beside them. */
const documentedIds = [...idsText.matchAll(/`([a-z][a-z0-9-]*)`/g)].map((m) => m[1]).filter((id) => !id.startsWith('data-'));
const documentedHooks = [...new Set([...hooksText.matchAll(/`(\w+)\(\)/g)].map((m) => m[1]))];
const documentedParams = [...new Set([...contract.matchAll(/[?&](\w+)=/g)].map((m) => m[1]))];

/** Ids shown only in conditions a test cannot create on one healthy machine: checked in the source. */
const CONDITIONAL = ['lobby-turn-unavailable', 'machine-limit', 'retry-button', 'device-notice', 'signaling-state', 'turn-problem',
  'room-locked', 'passcode-input', 'host-action-error', 'speaking-indicator'];

test('the README lists what this test checks', () => {
  expect(documentedIds.length).toBeGreaterThan(40);
  expect(documentedHooks).toEqual(expect.arrayContaining(['getSnapshot', 'getStats', 'getSample', 'exportSamples', 'getRawStats']));
  expect(documentedParams.sort()).toEqual(['autojoin', 'e2ee', 'mode', 'name', 'passcode', 'relay', 'sfuAbove']);
});

test('every documented test id, hook and URL parameter exists on the page', async ({ browser }) => {
  test.setTimeout(240_000);
  const seen = new Set<string>();
  const record = async (page: Page) => {
    const ids = await page.evaluate(() => [...document.querySelectorAll('[data-testid]')].map((e) => e.getAttribute('data-testid')!));
    for (const id of ids) seen.add(id);
  };
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  try {
    await page.goto('/');
    await expect(page.getByTestId('lobby-submit')).toBeVisible();
    await record(page);
    await page.getByTestId('lobby-mode-auto').check();
    await expect(page.getByTestId('lobby-sfu-above')).toBeVisible();
    await record(page);
    await page.getByTestId('lobby-mode-sfu').check();
    await expect(page.getByTestId('lobby-e2ee')).toBeVisible();
    await record(page);
    await page.goto(`/room/contract-${Date.now()}?mode=mesh`);
    await expect(page.getByTestId('join-button')).toBeVisible();
    await record(page);
    await page.goto(`/room/contract?mode=mesh&autojoin=1&name=${'x'.repeat(41)}`);
    await expect(page.getByTestId('choose-name-link')).toBeVisible();
    await record(page);
    await page.goto('/connectivity');
    await page.getByTestId('connectivity-run').click();
    await expect(page.getByTestId('connectivity-verdict')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('direct-test-result')).toBeVisible({ timeout: 60_000 });
    await record(page);
  } finally {
    await context.close();
  }

  // A call exercising every URL parameter: mode, name, autojoin, passcode, e2ee, and relay on the first tab
  // (alice creates the room, so she is its host and sees the host's controls).
  const room = `contract-${Date.now()}`;
  const a = await openParticipant(browser, room, 'sfu', 'alice', '&relay=1&passcode=contract-pass&e2ee=1');
  await waitForStatus(a, 'joined');
  const b = await openParticipant(browser, room, 'sfu', 'bob', '&passcode=contract-pass&e2ee=1');
  try {
    await waitForStatus(a, 'joined'); // autojoin: no clicks
    await expectEveryoneDecodesEveryone([a, b]);
    const snapshot = await a.snapshot();
    expect([snapshot.mode, snapshot.name]).toEqual(['sfu', 'alice']);
    await expect(a.page.getByTestId('relay-badge')).toHaveAttribute('data-forced', 'true');
    await expect(a.page.getByTestId('e2ee-badge')).toHaveAttribute('data-keyed', '1');
    for (const hook of documentedHooks) {
      expect(await a.page.evaluate((h) => typeof (window.__call as unknown as Record<string, unknown>)[h], hook), `window.__call.${hook}`).toBe('function');
    }
    // A screen share: its tile on both pages, its cost line on the sharer's.
    await a.page.getByTestId('share-screen').click();
    await expect(b.page.getByTestId('screen-tile')).toHaveAttribute('data-local', 'false');
    await expect(a.page.getByTestId('screen-share-cost')).toHaveAttribute('data-encoders', '1');
    await record(b.page);
    await record(a.page);
    await a.page.getByTestId('share-screen').click();
    await expect(b.page.getByTestId('screen-tile')).toHaveCount(0);
    await a.page.getByTestId('stats-toggle').click();
    await expect(a.page.getByTestId('cost-egress')).toBeVisible({ timeout: 20_000 });
    await expect(a.page.getByTestId('connection-path').first()).toBeVisible();
    await expect(a.page.getByTestId('server-sees')).toHaveAttribute('data-e2ee', 'true');
    await record(a.page);

    // The operator's watch page, outside the call: a wrong token refused, then the room.
    const watcher = await b.page.context().newPage();
    await watcher.goto(`/watch?room=${room}`);
    await watcher.getByTestId('watch-token').fill('wrong-operator-token');
    await watcher.getByTestId('watch-start').click();
    await expect(watcher.getByTestId('watch-error')).toHaveAttribute('data-code', 'FORBIDDEN');
    await record(watcher);
    await watcher.getByTestId('watch-token').fill(E2E_OPERATOR_TOKEN);
    await watcher.getByTestId('watch-start').click();
    await expect(watcher.getByTestId('watch-room-view')).toHaveAttribute('data-mode', 'sfu');
    await record(watcher);
    await watcher.close();

    // The presentation page, fed a recorded export with a join and a leave, and a bad file.
    const exported = [1, 2, 3, 2].map((n, i) => ({
      timestamp: 1_000 * i, mode: 'sfu', upload: { totalKbps: 300 }, peers: Array.from({ length: n - 1 }, () => ({ kbps: 250, inRoster: true })),
    }));
    const present = a.page;
    await present.goto('/present');
    await present.getByTestId('present-load').setInputFiles({ name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await expect(present.getByTestId('present-timeline')).toHaveAttribute('data-markers', '3'); // 1→2, 2→3, 3→2
    await record(present);
    await present.getByTestId('present-load').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
    await expect(present.getByTestId('present-error')).toContainText('bad.json');
    await record(present);
  } finally {
    await closeAll([a, b]);
  }

  // An auto room whose creator asks for the SFU above one participant, then a join in the wrong mode.
  const first = await openParticipant(browser, `${room}-auto`, 'auto', 'first', '&sfuAbove=1');
  await waitForStatus(first, 'joined');
  const second = await openParticipant(browser, `${room}-auto`, 'auto', 'second');
  const wrong = await openParticipant(browser, `${room}-auto`, 'sfu', 'third');
  try {
    await waitForStatus(wrong, 'failed');
    await record(wrong.page);
    await expect(first.page.getByTestId('auto-switch-effect')).toBeVisible({ timeout: 40_000 });
    await expect(first.page.getByTestId('mode-badge')).toHaveText('Auto · SFU');
    await record(first.page);
  } finally {
    await closeAll([first, second, wrong]);
  }

  const source = readSources();
  const missing = documentedIds.filter((id) => (CONDITIONAL.includes(id) ? !source.includes(`data-testid="${id}"`) : !seen.has(id)));
  expect(missing, 'README test ids not found on the page (or, when conditional, in the source)').toEqual([]);
});

function readSources(): string {
  const app = new URL('../../app/', import.meta.url).pathname;
  return readdirSync(app, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tsx'))
    .map((f) => readFileSync(join(app, f), 'utf8'))
    .join('\n');
}
