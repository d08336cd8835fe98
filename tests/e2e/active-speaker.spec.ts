// The active speaker, in both modes: a listener whose fake microphone plays silence and two
// participants whose fake microphones play a voice-like sound (Chromium's fake audio capture reads
// a WAV file we write; the flag is per browser, hence one browser per sound). Only one of the two
// speakers has its microphone on at a time: the listener's page must highlight that one (SFU: the
// server's audio level observer decides; mesh: the listener's own receivers), and follow the
// switch. Nothing here compares times: each state is awaited, then checked.
import { writeFileSync } from 'node:fs';
import { expect, test, type Browser } from '@playwright/test';
import { launchChromium } from '../../scripts/kit/lib/browser/chromium';
import { closeAll, openParticipant, waitForPeerCount, waitForStatus, type Mode, type Participant } from './call-fixtures';

const RATE = 48_000;

/** A mono 16-bit PCM WAV of `seconds`, sample i given by `f(t)` in -1..1. */
function wav(seconds: number, f: (t: number) => number): Buffer {
  const n = Math.round(seconds * RATE);
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(Math.max(-1, Math.min(1, f(i / RATE))) * 32_000), 44 + i * 2);
  return buf;
}

/**
 * Voice-like: a gliding 120-200 Hz fundamental with falling harmonics, in syllables (about four a
 * second), so the browser's noise suppression keeps it as it would keep speech.
 */
function voice(t: number): number {
  const f0 = 160 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
  const phase = 2 * Math.PI * (160 * t - (40 / (2 * Math.PI * 0.7)) * Math.cos(2 * Math.PI * 0.7 * t));
  let s = 0;
  for (let k = 1; k <= 8; k++) s += Math.sin(k * phase) / k;
  const syllable = Math.max(0, Math.sin(2 * Math.PI * 2.1 * t));
  return 0.45 * s * Math.sqrt(syllable) * (f0 > 0 ? 1 : 0);
}

async function speakerOf(p: Participant): Promise<{ peerId: string | null; source: string | null }> {
  return p.page.evaluate(() => window.__call!.getActiveSpeaker());
}

for (const mode of ['mesh', 'sfu'] as Mode[]) {
  test(`${mode}: the active speaker is the participant who speaks, and follows the switch`, async ({ baseURL }) => {
    test.setTimeout(180_000);
    const silentWav = test.info().outputPath('silence.wav');
    const voiceWav = test.info().outputPath('voice.wav');
    writeFileSync(silentWav, wav(2, () => 0));
    writeFileSync(voiceWav, wav(6, voice));
    const browsers: Browser[] = [];
    const all: Participant[] = [];
    try {
      const quiet = await launchChromium({ args: [`--use-file-for-fake-audio-capture=${silentWav}`] });
      browsers.push(quiet);
      const loud = await launchChromium({ args: [`--use-file-for-fake-audio-capture=${voiceWav}`] });
      browsers.push(loud);
      const room = `speaker-${mode}-${Date.now()}`;
      const listener = await openParticipant(quiet, room, mode, 'listener', '', baseURL);
      all.push(listener);
      await waitForStatus(listener, 'joined');
      const alice = await openParticipant(loud, room, mode, 'alice', '', baseURL);
      all.push(alice);
      await waitForStatus(alice, 'joined');
      // Bob's microphone goes off before he can be heard for long: alice is the only voice.
      const bob = await openParticipant(loud, room, mode, 'bob', '', baseURL);
      all.push(bob);
      await waitForStatus(bob, 'joined');
      await bob.page.getByTestId('toggle-mic').click();
      await expect(bob.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true');
      await waitForPeerCount(listener, 2, 30_000);
      const aliceId = (await alice.snapshot()).selfId!;
      const bobId = (await bob.snapshot()).selfId!;
      const source = mode === 'sfu' ? 'sfu' : 'receivers';

      const tile = (id: string) => listener.page.locator(`[data-testid="remote-tile"][data-peer-id="${id}"]`);
      await expect.poll(() => speakerOf(listener), { message: 'listener hears alice', timeout: 45_000 }).toEqual({ peerId: aliceId, source });
      await expect(tile(aliceId)).toHaveAttribute('data-speaking', 'true');
      await expect(tile(aliceId).getByTestId('speaking-indicator')).toBeVisible();
      await expect(tile(bobId)).toHaveAttribute('data-speaking', 'false');
      await expect(listener.page.getByTestId('local-tile')).toHaveAttribute('data-speaking', 'false');

      // The switch: alice's microphone off, bob's on.
      await alice.page.getByTestId('toggle-mic').click();
      await bob.page.getByTestId('toggle-mic').click();
      await expect(bob.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'false');
      await expect.poll(() => speakerOf(listener), { message: 'listener hears bob', timeout: 45_000 }).toEqual({ peerId: bobId, source });
      await expect(tile(bobId)).toHaveAttribute('data-speaking', 'true');
      await expect(tile(aliceId)).toHaveAttribute('data-speaking', 'false');
      await expect(listener.page.locator('[data-speaking="true"]')).toHaveCount(1);

      // Pinning alice (not speaking) shows her tile large; unpinning puts the grid back.
      await tile(aliceId).getByTestId('pin-tile').click();
      await expect(tile(aliceId)).toHaveAttribute('data-pinned', 'true');
      const [pinnedBox, otherBox] = [await tile(aliceId).boundingBox(), await tile(bobId).boundingBox()];
      expect(pinnedBox!.width).toBeGreaterThan(2 * otherBox!.width);
      await tile(aliceId).getByTestId('pin-tile').click();
      await expect(tile(aliceId)).toHaveAttribute('data-pinned', 'false');
      await expect(listener.page.locator('.grid')).not.toHaveAttribute('data-pinned', 'true');
    } finally {
      await closeAll(all);
      await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    }
  });
}
