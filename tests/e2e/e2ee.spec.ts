// End-to-end encryption in SFU rooms, real Chromium against the real server and SFU: everyone
// decodes everyone through an SFU that forwards what it cannot read, everyone shows the same safety
// code, a page that reads the frames raw (as the server would) cannot follow the stream, keys are replaced
// when someone leaves, and a join that does not match the room's choice is refused.
import { expect, test, type Page } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, framesByPeer, openParticipant, openRoom, waitForPeerCount, waitForStatus, type Participant } from './call-fixtures';

interface E2eeJson {
  safetyCode: string | null;
  keyedPeers: string[];
  keyId: number;
  encryptedFrames: number;
  peers: Record<string, { decrypted: number; failed: number }>;
}
const e2eeOf = (p: Participant) => p.page.evaluate(() => (window.__call!.getSnapshot() as unknown as { e2ee: E2eeJson | null }).e2ee);

test('an end-to-end encrypted SFU room: everyone decodes everyone, with one safety code, and keys change when someone leaves', async ({ browser }) => {
  const room = `e2ee-${Date.now()}`;
  const all = await openRoom(browser, room, 'sfu', 3, 'e', '&e2ee=1');
  try {
    await expectEveryoneDecodesEveryone(all);
    await expect.poll(async () => new Set(await Promise.all(all.map(async (p) => (await e2eeOf(p))?.safetyCode))).size, { message: 'one safety code' }).toBe(1);
    for (const p of all) {
      // The worker reports its counts once a second.
      await expect.poll(async () => (await e2eeOf(p))?.encryptedFrames ?? 0, { message: `${p.name} encrypts its frames` }).toBeGreaterThan(0);
      const e2ee = (await e2eeOf(p))!;
      expect(e2ee.safetyCode).toMatch(/^\d{4} \d{4}$/);
      expect(e2ee.keyedPeers).toHaveLength(2);
      await expect(p.page.getByTestId('e2ee-badge')).toHaveAttribute('data-code', e2ee.safetyCode!);
    }
    // The stats panel says what the SFU can see now: metadata, not content.
    await all[0].page.getByTestId('stats-toggle').click();
    await expect(all[0].page.locator('[data-testid="server-sees-row"][data-server="sfu"]')).toHaveAttribute('data-reads', 'metadata');

    const before = (await e2eeOf(all[0]))!.safetyCode;
    await all[2].close();
    for (const p of all.slice(0, 2)) await waitForPeerCount(p, 1);
    // The two who stay replace their media keys and keep decoding each other with the new ones.
    for (const p of all.slice(0, 2)) await expect.poll(async () => (await e2eeOf(p))?.keyId, { message: `${p.name} rotates its key` }).toBe(1);
    await expectEveryoneDecodesEveryone(all.slice(0, 2));
    expect((await e2eeOf(all[0]))!.safetyCode).not.toBe(before);
  } finally {
    await closeAll(all);
  }
});

test('a page that reads the encrypted frames raw, as the SFU would, cannot follow the stream; the others are unaffected', async ({ browser }) => {
  const room = `e2ee-raw-${Date.now()}`;
  const honest = await openRoom(browser, room, 'sfu', 2, 'h', '&e2ee=1');
  // The eavesdropper runs the app, but its browser ignores the decrypting transform: frames reach
  // its decoder exactly as they cross the server.
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(() => {
    Object.defineProperty(RTCRtpReceiver.prototype, 'transform', { configurable: true, get: () => null, set: () => undefined });
  });
  const page: Page = await context.newPage();
  const raw: Participant = {
    name: 'raw',
    page,
    snapshot: () => page.evaluate(() => window.__call!.getSnapshot() as never),
    stats: () => page.evaluate(() => window.__call!.getStats() as never),
    close: () => context.close(),
  };
  try {
    await page.goto(`/room/${room}?mode=sfu&name=raw&autojoin=1&e2ee=1`);
    await page.waitForFunction(() => typeof window.__call?.getSnapshot === 'function');
    await waitForStatus(raw, 'joined');
    await waitForPeerCount(raw, 2);
    // The honest two keep decoding each other (and the eavesdropper's own media, which it encrypts).
    await expectEveryoneDecodesEveryone(honest);
    await expect.poll(async () => (await raw.stats()).bytesReceived, { message: 'encrypted media reaches the eavesdropper' }).toBeGreaterThan(100_000);
    // Read raw, the decoder cannot follow the stream. Not "zero frames": the few bytes the SFU must
    // read (VP8's payload header) stay in clear, so libvpx now and then accepts the random bytes
    // behind one and shows a garbage frame. Counted over the same 5 s as an honest receiver's frames.
    const counts = async () => ({ raw: await framesByPeer(raw), h1: await framesByPeer(honest[0]), h2: await framesByPeer(honest[1]) });
    const before = await counts();
    await page.waitForTimeout(5_000);
    const after = await counts();
    for (const [sender, honestReceiver] of [['h1', 'h2'], ['h2', 'h1']] as const) {
      const honestFrames = after[honestReceiver][sender] - before[honestReceiver][sender];
      const rawFrames = after.raw[sender] - before.raw[sender];
      expect(honestFrames, `frames ${honestReceiver} decoded from ${sender} in 5 s`).toBeGreaterThan(20);
      expect(rawFrames, `frames decoded from ${sender}'s encrypted media read raw, against ${honestFrames} decoded by ${honestReceiver}`).toBeLessThan(honestFrames / 10);
    }
  } finally {
    await closeAll([...honest, raw]);
  }
});

test('a join that does not match the room end-to-end encryption is refused, and e2ee outside SFU rooms too', async ({ browser }) => {
  const room = `e2ee-mismatch-${Date.now()}`;
  const owner = await openParticipant(browser, room, 'sfu', 'owner', '&e2ee=1');
  const plain = await openParticipant(browser, room, 'sfu', 'plain');
  try {
    await waitForStatus(owner, 'joined');
    await waitForStatus(plain, 'failed');
    expect((await plain.snapshot()).error).toMatchObject({ code: 'MODE_MISMATCH', message: expect.stringContaining('end-to-end encrypted') });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`/room/${room}-mesh?mode=mesh&name=x&autojoin=1&e2ee=1`);
    await expect(page.getByTestId('bad-link')).toContainText('already end-to-end encrypted');
    await context.close();
  } finally {
    await closeAll([owner, plain]);
  }
});
