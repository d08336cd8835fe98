// Reusable multi-participant helpers for E2E scenarios: N tabs in one room, and "is video flowing" checks.
// Every participant gets its own browser context (separate tab state, separate fake devices).
import { expect, type Browser, type Page } from '@playwright/test';
import { roomUrl as kitRoomUrl, type Mode, type RoomMode } from '../../scripts/kit/lib/browser/room-url';

export type { Mode, RoomMode };

export interface CallSnapshotJson {
  mode: Mode;
  status: string;
  roomId: string;
  selfId: string | null;
  name: string;
  error: { code: string; message: string } | null;
  peers: { id: string; name: string; connectionState: string; hasStream: boolean }[];
}

export interface ConnectionJson {
  id: string;
  role: 'peer' | 'send' | 'recv';
  peerId: string | null;
  state: string;
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  protocol: string | null;
  relayed: boolean;
  rttMs: number | null;
}

export interface CallStatsJson {
  mode: Mode;
  connectionDetails: ConnectionJson[];
  bytesSent: number;
  bytesReceived: number;
  connections: number;
  uploadConnections: number;
  peers: { id: string; name: string; framesDecoded: number; bytesReceived: number }[];
}

export interface Participant {
  name: string;
  page: Page;
  snapshot(): Promise<CallSnapshotJson>;
  stats(): Promise<CallStatsJson>;
  close(): Promise<void>;
}

/** A path on Playwright's baseURL; `extra` appends further query parameters such as '&relay=1'. */
export function roomUrl(room: string, mode: RoomMode, name: string, extra = ''): string {
  return `${kitRoomUrl('', room, { mode, name, autojoin: true })}${extra}`;
}

/** Opens one autojoining tab in its own context; resolves once its page has loaded the QA hooks. */
export async function openParticipant(browser: Browser, room: string, mode: RoomMode, name: string, extra = '', origin?: string): Promise<Participant> {
  // origin: a server the test started itself instead of the suite's (Playwright's baseURL).
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], ...(origin ? { baseURL: origin } : {}) });
  const page = await context.newPage();
  await page.goto(roomUrl(room, mode, name, extra));
  await page.waitForFunction(() => typeof window.__call?.getSnapshot === 'function');
  return {
    name,
    page,
    snapshot: () => page.evaluate(() => window.__call!.getSnapshot() as unknown as CallSnapshotJson),
    stats: () => page.evaluate(() => window.__call!.getStats() as unknown as Promise<CallStatsJson>),
    close: () => context.close(),
  };
}

/** Opens N participants one after another (joining in a known order keeps the test readable). */
export async function openRoom(browser: Browser, room: string, mode: RoomMode, count: number, prefix = 'p', extra = '', origin?: string): Promise<Participant[]> {
  const all: Participant[] = [];
  for (let i = 1; i <= count; i++) {
    const p = await openParticipant(browser, room, mode, `${prefix}${i}`, extra, origin);
    await waitForStatus(p, 'joined');
    all.push(p);
  }
  return all;
}

export async function waitForStatus(p: Participant, status: string): Promise<void> {
  await expect.poll(async () => (await p.snapshot()).status, { message: `${p.name} status`, timeout: 30_000 }).toBe(status);
}

export async function waitForPeerCount(p: Participant, count: number, timeout = 10_000): Promise<void> {
  await expect.poll(async () => (await p.snapshot()).peers.length, { message: `${p.name} peer count`, timeout }).toBe(count);
}

/** Frames decoded from each remote peer, by display name. */
export async function framesByPeer(p: Participant): Promise<Record<string, number>> {
  const stats = await p.stats();
  return Object.fromEntries(stats.peers.map((peer) => [peer.name, peer.framesDecoded]));
}

/**
 * Waits until every participant decodes video from every other one, then checks that the frame
 * counts keep growing (the video is moving, not one frame and a freeze).
 */
export async function expectEveryoneDecodesEveryone(all: Participant[], timeout = 45_000): Promise<void> {
  const first: Record<string, Record<string, number>> = {};
  for (const p of all) {
    const others = all.filter((o) => o !== p).map((o) => o.name).sort();
    await expect
      .poll(
        async () => {
          const frames = await framesByPeer(p);
          return others.filter((name) => (frames[name] ?? 0) > 0);
        },
        { message: `${p.name} decodes frames from ${others.join(', ')}`, timeout },
      )
      .toEqual(others);
    first[p.name] = await framesByPeer(p);
  }
  for (const p of all) {
    const before = first[p.name];
    await expect
      .poll(
        async () => {
          const now = await framesByPeer(p);
          return Object.keys(before).filter((name) => (now[name] ?? 0) > before[name]).sort();
        },
        { message: `${p.name}: frame counts keep increasing`, timeout: 15_000 },
      )
      .toEqual(Object.keys(before).sort());
  }
}

export async function closeAll(all: Participant[]): Promise<void> {
  await Promise.all(all.map((p) => p.close().catch(() => undefined)));
}
