// What a participant sees of each remote peer, whatever path carries it: frames painted into each
// remote tile's <video> (getVideoPlaybackQuality), sampled in the page every 50 ms, with the longest
// interval between new frames. Used to measure an auto room's switch gap: the stats API counts per
// connection, and a switch replaces the connection, but the tile stays the same element.
import type { Page } from '@playwright/test';

export interface TileFrames {
  /** Frames shown since the meter was (re)started, across changes of the tile's stream. */
  frames: number;
  /** The longest interval without a new frame since the meter was (re)started (ms), ongoing one included. */
  maxGapMs: number;
}

/** Starts (or restarts) the meter in the page; read() then reports since this moment. */
export async function startTileFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Tile = { last: number; lastNewAt: number; frames: number; maxGapMs: number };
    const w = window as unknown as { __tileFrames?: { timer: number; tiles: Map<string, Tile> } };
    if (w.__tileFrames) clearInterval(w.__tileFrames.timer);
    const tiles = new Map<string, Tile>();
    const started = performance.now();
    const timer = window.setInterval(() => {
      const now = performance.now();
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="remote-tile"][data-peer-id]')) {
        const video = el.querySelector('video');
        if (!video) continue;
        const shown = video.getVideoPlaybackQuality().totalVideoFrames;
        const id = el.dataset.peerId!;
        const tile = tiles.get(id) ?? { last: shown, lastNewAt: started, frames: 0, maxGapMs: 0 };
        tiles.set(id, tile);
        // A new stream on the same element starts counting from zero again.
        const added = shown >= tile.last ? shown - tile.last : shown;
        tile.last = shown;
        if (added > 0) {
          tile.frames += added;
          tile.lastNewAt = now;
        }
        tile.maxGapMs = Math.max(tile.maxGapMs, now - tile.lastNewAt);
      }
    }, 50);
    w.__tileFrames = { timer, tiles };
  });
}

/** Per remote peer id: frames shown and the longest gap since startTileFrames. */
export async function readTileFrames(page: Page): Promise<Record<string, TileFrames>> {
  return page.evaluate(() => {
    const w = window as unknown as { __tileFrames?: { tiles: Map<string, { frames: number; maxGapMs: number }> } };
    const out: Record<string, { frames: number; maxGapMs: number }> = {};
    for (const [id, t] of w.__tileFrames?.tiles ?? []) out[id] = { frames: t.frames, maxGapMs: Math.round(t.maxGapMs) };
    return out;
  });
}
