// Screen sharing in real Chromium (its fake display capture: the flags that fake the camera also
// answer getDisplayMedia without a picker) against the real server, in both modes and across an
// auto room's switch: the share reaches everyone (frames decoded from the screen track, apart from
// the camera's), a latecomer gets it, its cost line says N-1 copies in mesh and 1 in SFU, and
// stopping it (the button, or the browser's own "stop sharing") removes it everywhere.
import { expect, test, type Page } from '@playwright/test';
import {
  closeAll,
  expectEveryoneDecodesEveryone,
  openParticipant,
  openRoom,
  waitForStatus,
  type Participant,
} from './call-fixtures';

interface ShareView {
  sharing: boolean;
  peers: { name: string; hasScreen: boolean }[];
}

const view = (p: Participant) => p.page.evaluate(() => window.__call!.getSnapshot() as unknown as ShareView);
const screenStats = (p: Participant) =>
  p.page.evaluate(async () => {
    const s = (await window.__call!.getStats()) as unknown as {
      screen: { encoders: number; connections: number };
      peers: { name: string; screenFramesDecoded: number }[];
    };
    return s;
  });

/** Every viewer decodes frames from the sharer's screen track, and the count keeps growing. */
async function expectScreenReaches(sharer: Participant, viewers: Participant[]): Promise<void> {
  for (const v of viewers) {
    const frames = async () => (await screenStats(v)).peers.find((p) => p.name === sharer.name)?.screenFramesDecoded ?? 0;
    await expect.poll(async () => (await view(v)).peers.find((p) => p.name === sharer.name)?.hasScreen, { message: `${v.name} has ${sharer.name}'s screen`, timeout: 30_000 }).toBe(true);
    await expect.poll(frames, { message: `${v.name} decodes ${sharer.name}'s screen`, timeout: 30_000 }).toBeGreaterThan(0);
    const first = await frames();
    await expect.poll(frames, { message: `${v.name}: ${sharer.name}'s screen keeps moving`, timeout: 15_000 }).toBeGreaterThan(first);
    // Shown large, as a pinned tile.
    await expect(v.page.getByTestId('screen-tile')).toHaveAttribute('data-pinned', 'true');
  }
  await expect(sharer.page.getByTestId('screen-tile')).toHaveAttribute('data-local', 'true');
}

/** Our share's copies: the QA stats and the header's cost line agree. */
async function expectCopies(sharer: Participant, copies: number): Promise<void> {
  await expect.poll(async () => (await screenStats(sharer)).screen, { message: `${sharer.name}'s screen copies`, timeout: 20_000 })
    .toEqual({ encoders: copies, connections: copies, bytesSent: expect.any(Number) });
  await expect(sharer.page.getByTestId('screen-share-cost')).toHaveAttribute('data-encoders', String(copies));
}

async function expectShareGone(sharer: Participant, all: Participant[]): Promise<void> {
  await expect.poll(async () => (await view(sharer)).sharing, { message: `${sharer.name} stopped sharing` }).toBe(false);
  for (const p of all) {
    await expect(p.page.getByTestId('screen-tile')).toHaveCount(0);
    if (p === sharer) continue;
    await expect.poll(async () => (await view(p)).peers.find((x) => x.name === sharer.name)?.hasScreen, { message: `${p.name} dropped the screen` }).toBe(false);
  }
  await expect(sharer.page.getByTestId('screen-share-cost')).toHaveCount(0);
  await expect(sharer.page.getByTestId('share-screen')).toHaveAttribute('aria-pressed', 'false');
}

const share = async (p: Participant) => {
  await p.page.getByTestId('share-screen').click();
  await expect(p.page.getByTestId('share-screen')).toHaveAttribute('aria-pressed', 'true');
};

/** What the browser's own "Stop sharing" bar does: the capture track ends. */
const endFromBrowser = (page: Page) =>
  page.evaluate(() => {
    const video = document.querySelector('[data-testid="screen-tile"][data-local="true"] video') as HTMLVideoElement;
    (video.srcObject as MediaStream).getVideoTracks()[0].dispatchEvent(new Event('ended'));
  });

test('mesh: a share goes to every peer connection (N-1 copies), reaches a latecomer, and the browser stopping it removes it', async ({ browser }) => {
  test.setTimeout(180_000);
  const room = `share-mesh-${Date.now()}`;
  const all = await openRoom(browser, room, 'mesh', 3, 'm');
  try {
    await expectEveryoneDecodesEveryone(all);
    const [sharer, ...viewers] = all;
    await share(sharer);
    await expectScreenReaches(sharer, viewers);
    await expectCopies(sharer, 2);
    // Cameras keep flowing next to the share.
    await expectEveryoneDecodesEveryone(all);

    const late = await openParticipant(browser, room, 'mesh', 'm4');
    all.push(late);
    await waitForStatus(late, 'joined');
    await expectScreenReaches(sharer, [late]);
    await expectCopies(sharer, 3);

    await endFromBrowser(sharer.page);
    await expectShareGone(sharer, all);
  } finally {
    await closeAll(all);
  }
});

test('SFU: a share is one more producer (1 copy), reaches a latecomer, and the button stopping it removes it', async ({ browser }) => {
  test.setTimeout(180_000);
  const room = `share-sfu-${Date.now()}`;
  const all = await openRoom(browser, room, 'sfu', 3, 's');
  try {
    await expectEveryoneDecodesEveryone(all);
    const [sharer, ...viewers] = all;
    await share(sharer);
    await expectScreenReaches(sharer, viewers);
    await expectCopies(sharer, 1);
    await expectEveryoneDecodesEveryone(all);

    const late = await openParticipant(browser, room, 'sfu', 's4');
    all.push(late);
    await waitForStatus(late, 'joined');
    await expectScreenReaches(sharer, [late]);
    await expectCopies(sharer, 1);

    await sharer.page.getByTestId('share-screen').click();
    await expectShareGone(sharer, all);
  } finally {
    await closeAll(all);
  }
});

test('auto: a switch from mesh to the SFU carries the share over', async ({ browser }) => {
  test.setTimeout(180_000);
  const room = `share-auto-${Date.now()}`;
  const sharer = await openParticipant(browser, room, 'auto', 'a1', '&sfuAbove=2');
  await waitForStatus(sharer, 'joined');
  const all = [sharer];
  try {
    all.push(await openParticipant(browser, room, 'auto', 'a2'));
    await waitForStatus(all[1], 'joined');
    await share(sharer);
    await expectScreenReaches(sharer, [all[1]]);
    await expectCopies(sharer, 1); // mesh with one peer: one copy

    // A third participant: the room moves to the SFU, with the share on.
    all.push(await openParticipant(browser, room, 'auto', 'a3'));
    for (const p of all) await expect.poll(async () => (await p.snapshot()).mode, { message: `${p.name} on the SFU`, timeout: 60_000 }).toBe('sfu');
    await expectScreenReaches(sharer, all.slice(1));
    await expectCopies(sharer, 1);
    await expect(sharer.page.getByTestId('mode-badge')).toHaveText('Auto · SFU');

    await sharer.page.getByTestId('share-screen').click();
    await expectShareGone(sharer, all);
  } finally {
    await closeAll(all);
  }
});
