// Preferred layers and dynacast in real Chromium through the real SFU: a large tile gets the sender's
// full-resolution layer (and the sender encodes it), a thumbnail-sized tile gets the quarter layer
// and the sender stops encoding the full one nobody needs, and growing the tile brings it back.
import { expect, test, type Page } from '@playwright/test';
import { closeAll, openRoom, type Participant } from './call-fixtures';

interface SentLayer {
  rid: string;
  active: boolean | null;
  framesEncoded: number;
  /** Why the browser holds this encoding back (cpu, bandwidth), if it does: said when a check fails. */
  limitation: string | null;
}

/** Our camera's simulcast encodings as the browser reports them (outbound-rtp on the send transport). */
async function sentLayers(page: Page): Promise<SentLayer[]> {
  return page.evaluate(async () => {
    const raw = await window.__call!.getRawStats();
    const send = raw.find((c) => c.role === 'send');
    if (!send) return [];
    const screens = new Set(send.screenTracks ?? []);
    const sources = new Map(send.stats.filter((s) => s.type === 'media-source').map((s) => [s.id, s.trackIdentifier]));
    return send.stats
      .filter((s) => s.type === 'outbound-rtp' && s.kind === 'video' && typeof s.rid === 'string' && !screens.has(String(sources.get(s.mediaSourceId))))
      .map((s) => ({
        rid: String(s.rid),
        active: typeof s.active === 'boolean' ? s.active : null,
        framesEncoded: Number(s.framesEncoded ?? 0),
        limitation: typeof s.qualityLimitationReason === 'string' ? s.qualityLimitationReason : null,
      }))
      .sort((a, b) => a.rid.localeCompare(b.rid));
  });
}

/** The frame width at which we receive one peer's camera (inbound-rtp on the receive transport). */
async function receivedWidth(page: Page, peerId: string): Promise<number | null> {
  return page.evaluate(async (peer) => {
    const raw = await window.__call!.getRawStats();
    const recv = raw.find((c) => c.role === 'recv');
    const screens = new Set(recv?.screenTracks ?? []);
    const inbound = recv?.stats.find(
      (s) => s.type === 'inbound-rtp' && s.kind === 'video' && recv.peerByTrack?.[String(s.trackIdentifier)] === peer && !screens.has(String(s.trackIdentifier)),
    );
    return typeof inbound?.frameWidth === 'number' ? inbound.frameWidth : null;
  }, peerId);
}

interface Simulcast {
  receiving: Record<string, { width: number; height: number; spatialLayer: number }>;
  sending: { layers: number; maxSpatialLayer: number | null } | null;
}

const simulcastOf = (p: Participant) => p.page.evaluate(() => (window.__call!.getSnapshot() as unknown as { simulcast: Simulcast | null }).simulcast);

/** The top layer is on and encoding: active, and its frame count grows between two reads. */
async function topLayerEncoding(page: Page): Promise<boolean> {
  const before = (await sentLayers(page)).at(-1);
  await page.waitForTimeout(500);
  const after = (await sentLayers(page)).at(-1);
  return !!before && !!after && after.active === true && after.framesEncoded > before.framesEncoded;
}

test.describe('SFU simulcast layers by tile size', () => {
  test('a large tile receives the top layer at full resolution within 10 s', async ({ browser }) => {
    const [sender, receiver] = await openRoom(browser, `layers-big-${Date.now()}`, 'sfu', 2, 'L');
    try {
      const senderId = (await sender.snapshot()).selfId!;
      // The figure: top layer active and received at 640 px within 10 s of both being joined.
      const deadline = Date.now() + 10_000;
      try {
        await expect.poll(() => topLayerEncoding(sender.page), { message: 'the sender encodes its top layer', timeout: 10_000 }).toBe(true);
        await expect.poll(() => receivedWidth(receiver.page, senderId), { message: 'the receiver gets 640 px', timeout: Math.max(1, deadline - Date.now()) }).toBe(640);
      } catch (err) {
        // Say what the browsers saw (a starved machine shows up as a bandwidth or cpu limitation).
        const seen = { sent: await sentLayers(sender.page), asked: await simulcastOf(sender), received: await receivedWidth(receiver.page, senderId) };
        throw new Error(`${err instanceof Error ? err.message : String(err)}\nseen: ${JSON.stringify(seen)}`);
      }
      const asked = await simulcastOf(receiver);
      expect(asked?.receiving[senderId]?.spatialLayer).toBe(1);
      expect(asked?.receiving[senderId]?.height).toBeGreaterThan(90);
      expect((await sentLayers(sender.page)).map((l) => l.rid)).toHaveLength(2);
    } finally {
      await closeAll([sender, receiver]);
    }
  });

  test('a thumbnail tile gets layer 0, the sender stops its top layer (dynacast), and a larger tile brings it back', async ({ browser }) => {
    const [sender, receiver] = await openRoom(browser, `layers-small-${Date.now()}`, 'sfu', 2, 'S');
    try {
      const senderId = (await sender.snapshot()).selfId!;
      await expect.poll(() => receivedWidth(receiver.page, senderId), { message: 'full resolution first', timeout: 30_000 }).toBe(640);

      // A short window: the two tiles shrink below the quarter layer's 160×90.
      await receiver.page.setViewportSize({ width: 1280, height: 300 });
      await expect.poll(async () => (await simulcastOf(receiver))?.receiving[senderId]?.spatialLayer, { message: 'the receiver asks for layer 0', timeout: 30_000 }).toBe(0);
      await expect.poll(() => receivedWidth(receiver.page, senderId), { message: 'the receiver gets 160 px', timeout: 30_000 }).toBe(160);
      await expect.poll(async () => (await sentLayers(sender.page)).at(-1)?.active, { message: 'the sender switches its top layer off', timeout: 30_000 }).toBe(false);
      expect((await simulcastOf(sender))?.sending).toEqual({ layers: 2, maxSpatialLayer: 0 });
      // The thumbnail layer keeps flowing meanwhile.
      const low = (await sentLayers(sender.page))[0];
      await expect.poll(async () => (await sentLayers(sender.page))[0].framesEncoded, { message: 'layer 0 keeps encoding', timeout: 30_000 }).toBeGreaterThan(low.framesEncoded);

      // The window grows again: the top layer comes back and reaches the receiver.
      await receiver.page.setViewportSize({ width: 1280, height: 720 });
      await expect.poll(() => topLayerEncoding(sender.page), { message: 'the sender encodes its top layer again', timeout: 30_000 }).toBe(true);
      await expect.poll(() => receivedWidth(receiver.page, senderId), { message: 'the receiver gets 640 px again', timeout: 30_000 }).toBe(640);
      expect((await simulcastOf(sender))?.sending).toEqual({ layers: 2, maxSpatialLayer: 1 });
    } finally {
      await closeAll([sender, receiver]);
    }
  });
});
