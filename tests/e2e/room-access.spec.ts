// Who may join a room, in real Chromium against the real server: a passcode set by the room's
// creator (refused in plain words when wrong, from a QA link or typed in the lobby), the host
// removing a participant from an SFU call (its media gone for everyone, the call over for it, no
// rejoin), and a locked room refusing a newcomer.
import { expect, test } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, openRoom, waitForPeerCount, waitForStatus, type Participant } from './call-fixtures';

test('a passcode room refuses a wrong passcode in plain words and lets the right one in', async ({ browser }) => {
  const room = `passcode-${Date.now()}`;
  const all: Participant[] = [];
  try {
    const creator = await openParticipant(browser, room, 'mesh', 'creator', '&passcode=tulip-42');
    all.push(creator);
    await waitForStatus(creator, 'joined');
    const guest = await openParticipant(browser, room, 'mesh', 'guest', '&passcode=not-the-one');
    all.push(guest);
    await waitForStatus(guest, 'failed');
    const error = guest.page.getByTestId('call-error');
    await expect(error).toHaveAttribute('data-code', 'BAD_PASSCODE');
    await expect(error).toContainText(`wrong passcode for room ${room}`);
    await expect(error).toContainText('This room is protected by a passcode');
    expect(await guest.page.content()).not.toContain('tulip-42');

    await guest.page.getByTestId('passcode-input').fill('tulip-42');
    await guest.page.getByTestId('retry-button').click();
    await waitForStatus(guest, 'joined');

    // The lobby way: the passcode typed there reaches the pre-join form, not the URL.
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    all.push({ name: 'lobby', page, snapshot: () => page.evaluate(() => window.__call!.getSnapshot() as never), stats: async () => ({}) as never, close: () => context.close() });
    await page.goto('/');
    await page.getByTestId('lobby-room').fill(room);
    await page.getByTestId('lobby-name').fill('late');
    await page.getByTestId('lobby-passcode').fill('tulip-42');
    await page.getByTestId('lobby-submit').click();
    await expect(page.getByTestId('prejoin-passcode')).toHaveValue('tulip-42');
    expect(page.url()).not.toContain('tulip');
    await page.getByTestId('join-button').click();
    await expect(page.getByTestId('call-status')).toHaveAttribute('data-status', 'joined');
    await expectEveryoneDecodesEveryone([creator, guest]);
    await expect(creator.page.getByTestId('remote-tile')).toHaveCount(2);
  } finally {
    await closeAll(all);
  }
});

test('the host removes a participant from an SFU call and locks the room', async ({ browser }) => {
  test.setTimeout(180_000);
  const room = `host-${Date.now()}`;
  const [host, removed, stays] = await openRoom(browser, room, 'sfu', 3, 'h');
  const all = [host, removed, stays];
  try {
    await expectEveryoneDecodesEveryone(all);
    const removedId = (await removed.snapshot()).selfId!;
    await expect(host.page.getByTestId('host-badge')).toBeVisible(); // on its own tile
    await expect(stays.page.locator(`[data-testid="remote-tile"]:has([data-testid="host-badge"])`)).toHaveCount(1);
    // Only the host gets the controls.
    await expect(stays.page.getByTestId('remove-participant')).toHaveCount(0);
    await expect(stays.page.getByTestId('lock-room')).toHaveCount(0);

    await host.page.locator(`[data-testid="remove-participant"][data-peer-id="${removedId}"]`).click();

    await waitForStatus(removed, 'failed');
    const error = removed.page.getByTestId('call-error');
    await expect(error).toHaveAttribute('data-code', 'REMOVED');
    await expect(error).toContainText('The host removed you from this call');
    await expect(removed.page.getByTestId('retry-button')).toHaveCount(0);

    // Its media is gone for everyone: no tile, and nothing more decoded from it.
    for (const p of [host, stays]) {
      await waitForPeerCount(p, 1);
      await expect(p.page.locator(`[data-testid="remote-tile"][data-peer-id="${removedId}"]`)).toHaveCount(0);
      await expect
        .poll(() => p.page.evaluate((id) => (window.__call!.getSample()?.peers ?? []).filter((peer) => peer.id === id && (peer.kbps ?? 0) > 0).length, removedId),
          { message: `${p.name} still receives media from the removed participant`, timeout: 15_000 })
        .toBe(0);
    }
    await expectEveryoneDecodesEveryone([host, stays]);
    // No automatic way back: it stays out.
    await host.page.waitForTimeout(3_000);
    expect((await removed.snapshot()).status).toBe('failed');
    expect((await host.snapshot()).peers.map((p) => p.id)).not.toContain(removedId);

    await host.page.getByTestId('lock-room').click();
    await expect(host.page.getByTestId('lock-room')).toHaveAttribute('data-locked', 'true');
    await expect(stays.page.getByTestId('room-locked')).toBeVisible();
    const newcomer = await openParticipant(browser, room, 'sfu', 'newcomer');
    all.push(newcomer);
    await waitForStatus(newcomer, 'failed');
    await expect(newcomer.page.getByTestId('call-error')).toHaveAttribute('data-code', 'ROOM_LOCKED');
    await expect(newcomer.page.getByTestId('call-error')).toContainText('The host locked this room');
    await waitForPeerCount(host, 1);
  } finally {
    await closeAll(all);
  }
});
