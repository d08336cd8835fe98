// Auto rooms, real Chromium tabs against the real server and SFU: two tabs talk peer to peer, a
// third brings the SFU for everyone, its leaving brings mesh back; tiles keep their picture
// throughout (make before break), and a join and a leave at once leave everyone on one topology.
import { expect, test } from '@playwright/test';
import { readTileFrames, startTileFrames } from '../../scripts/kit/lib/measure/tile-frames';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, openRoom, roomUrl, waitForPeerCount, waitForStatus, type Participant } from './call-fixtures';

interface AutoJson {
  mode: 'mesh' | 'sfu';
  roomMode: string;
  auto: {
    threshold: number;
    switching: string | null;
    history: { epoch: number; from: string | null; to: string; reason: string; outcome: string; detail: string | null }[];
  } | null;
  peers: { id: string; name: string; hasStream: boolean }[];
}

const autoState = (p: Participant) => p.page.evaluate(() => window.__call!.getSnapshot() as unknown as AutoJson);

/** Waits until the participant runs on `mode` with no switch under way. */
async function waitForTopology(p: Participant, mode: 'mesh' | 'sfu'): Promise<void> {
  await expect
    .poll(async () => {
      const s = await autoState(p);
      return `${s.mode}${s.auto?.switching ? ` (switching to ${s.auto.switching})` : ''}`;
    }, { message: `${p.name} settles on ${mode}`, timeout: 40_000 })
    .toBe(mode);
}

async function uploadConnections(p: Participant): Promise<number> {
  return (await p.stats()).uploadConnections;
}

/**
 * While `during` runs, every tile the watchers had before it (a newcomer's starts empty) keeps a
 * stream at every look and shows new frames over the whole span; returns each tile's longest gap
 * between frames (ms), for the record.
 */
/** `leaving`: a participant who leaves during the switch (its tile goes, with its stream; that is no loss). */
async function tilesKeepMoving(watchers: Participant[], during: () => Promise<void>, leaving?: string): Promise<number[]> {
  const before = new Map<Participant, Set<string>>();
  for (const w of watchers) {
    before.set(w, new Set((await autoState(w)).peers.filter((p) => p.name !== leaving).map((p) => p.id)));
    await startTileFrames(w.page);
  }
  let looking = true;
  const streamless: string[] = [];
  const looks = (async () => {
    while (looking) {
      for (const w of watchers) {
        for (const peer of (await autoState(w)).peers) {
          if (before.get(w)!.has(peer.id) && !peer.hasStream) streamless.push(`${w.name} sees no stream from ${peer.name}`);
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    await during();
  } finally {
    looking = false;
    await looks;
  }
  expect(streamless, 'a tile lost its stream during the switch').toEqual([]);
  const gaps: number[] = [];
  for (const w of watchers) {
    const tiles = await readTileFrames(w.page);
    const staying = (await autoState(w)).peers.map((p) => p.id).filter((id) => before.get(w)!.has(id));
    for (const id of staying) {
      expect(tiles[id]?.frames ?? 0, `${w.name}: new frames from ${id} across the switch`).toBeGreaterThan(0);
      gaps.push(tiles[id]?.maxGapMs ?? Infinity);
    }
  }
  return gaps;
}

test('an auto room moves to the SFU when a third joins and back to mesh when it leaves, without losing a picture', async ({ browser }, testInfo) => {
  const room = `auto-${Date.now()}`;
  const all: Participant[] = [];
  try {
    all.push(...(await openRoom(browser, room, 'auto', 2, 'a')));
    for (const p of all) await waitForTopology(p, 'mesh');
    await expectEveryoneDecodesEveryone(all);
    expect((await autoState(all[0])).auto).toMatchObject({ threshold: 2, history: [{ from: null, to: 'mesh', outcome: 'done' }] });

    const toSfu = await tilesKeepMoving(all.slice(), async () => {
      all.push(await openParticipant(browser, room, 'auto', 'a3'));
      await waitForStatus(all[2], 'joined');
      for (const p of all) await waitForTopology(p, 'sfu');
    });
    await expectEveryoneDecodesEveryone(all);
    // SFU: one upload connection each (mesh would be two).
    for (const p of all) expect(await uploadConnections(p), `${p.name} uploads once`).toBe(1);
    for (const p of all.slice(0, 2)) {
      const history = (await autoState(p)).auto!.history;
      expect(history.at(-1)).toMatchObject({ from: 'mesh', to: 'sfu', outcome: 'done', reason: '3 participants > threshold 2' });
    }
    // The newcomer started on the SFU directly: its join made the decision.
    expect((await autoState(all[2])).auto!.history).toMatchObject([{ from: null, to: 'sfu', outcome: 'done' }]);
    await expect(all[0].page.getByTestId('mode-badge')).toHaveText('Auto · SFU');
    await expect(all[0].page.getByTestId('auto-switch').first()).toHaveAttribute('data-outcome', 'done');

    const leaver = all.pop()!;
    const toMesh = await tilesKeepMoving(all, async () => {
      await leaver.close();
      for (const p of all) await waitForPeerCount(p, 1);
      for (const p of all) await waitForTopology(p, 'mesh');
    }, leaver.name);
    await expectEveryoneDecodesEveryone(all);
    for (const p of all) {
      expect(await uploadConnections(p), `${p.name} uploads to its one peer`).toBe(1);
      expect((await autoState(p)).auto!.history.at(-1)).toMatchObject({ from: 'sfu', to: 'mesh', outcome: 'done', reason: '2 participants ≤ threshold 2' });
      expect((await p.stats()).connectionDetails.map((c) => c.role)).toEqual(['peer']);
    }
    await expect(all[0].page.getByTestId('mode-badge')).toHaveText('Auto · Mesh');
    testInfo.annotations.push({ type: 'longest tile gap (ms)', description: `mesh→SFU ${Math.max(...toSfu)}, SFU→mesh ${Math.max(...toMesh)}` });
  } finally {
    await closeAll(all);
  }
});

test('a join and a leave at the same moment leave everyone on the same topology', async ({ browser }) => {
  const room = `auto-race-${Date.now()}`;
  // sfuAbove=2 from the creator: three is SFU; the join and the leave together keep three.
  const all = await openRoom(browser, room, 'auto', 3, 'r', '&sfuAbove=2');
  const joiner: Participant[] = [];
  try {
    for (const p of all) await waitForTopology(p, 'sfu');
    const leaver = all.pop()!;
    // At once: the third leaves while a fourth joins.
    const [, fourth] = await Promise.all([leaver.close(), openParticipant(browser, room, 'auto', 'r4')]);
    joiner.push(fourth);
    await waitForStatus(fourth, 'joined');
    const everyone = [...all, fourth];
    for (const p of everyone) await waitForPeerCount(p, 2, 20_000);
    // Whatever the server decided in between, the newest decision is the same for all.
    await expect
      .poll(async () => new Set(await Promise.all(everyone.map(async (p) => {
        const s = await autoState(p);
        return `${s.mode}${s.auto?.switching ? '…' : ''}`;
      }))).size, { message: 'one topology for everyone', timeout: 40_000 })
      .toBe(1);
    const finalMode = (await autoState(everyone[0])).mode;
    expect(finalMode).toBe('sfu');
    await expectEveryoneDecodesEveryone(everyone);
  } finally {
    await closeAll([...all, ...joiner]);
  }
});

test('the creator picks the threshold from the URL; a bad one is refused with a clear error', async ({ browser }) => {
  const room = `auto-th-${Date.now()}`;
  const all = await openRoom(browser, room, 'auto', 2, 't', '&sfuAbove=1');
  try {
    // More than one participant is above 1: the second join moves the room to the SFU.
    for (const p of all) await waitForTopology(p, 'sfu');
    expect((await autoState(all[0])).auto!.threshold).toBe(1);
    await expectEveryoneDecodesEveryone(all);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(roomUrl(`${room}-bad`, 'auto', 'x', '&sfuAbove=0'));
    await expect(page.getByTestId('bad-link')).toContainText('sfuAbove');
    await context.close();
  } finally {
    await closeAll(all);
  }
});
