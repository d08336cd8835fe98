// One participant = one headless Chromium process (the fake-capture file flag is per process) with
// one page on the QA URL; polls the page's QA hooks and its process tree's CPU.
import { chromium, type Browser, type Page } from '@playwright/test';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { COLLECT_JS, decodingPeers, type ProbeSample } from './probe';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium';
import { findDescendantByCmdline, processTreeCpu } from '../measure/proc';

export type Mode = 'mesh' | 'sfu';

export function qaUrl(base: string, room: string, mode: Mode, name: string, relay: boolean): string {
  const q = `mode=${mode}&name=${encodeURIComponent(name)}&autojoin=1${relay ? '&relay=1' : ''}`;
  return `${base.replace(/\/$/, '')}/room/${encodeURIComponent(room)}?${q}`;
}

/** A launched browser that can host one participant page at a time (reused across benchmark steps). */
export class BrowserSlot {
  private constructor(
    readonly browser: Browser,
    readonly videoFile: string,
    /** Root pid of this Chromium's process tree, or null when /proc could not find it. */
    readonly pid: number | null,
  ) {}

  static async launch(videoFile: string): Promise<BrowserSlot> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--use-file-for-fake-video-capture=${videoFile}`],
      // We close browsers ourselves after leaving the call; Playwright must not race us on Ctrl-C.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return new BrowserSlot(browser, videoFile, findDescendantByCmdline(process.pid, videoFile));
  }

  cpuSeconds(): number | null {
    return this.pid === null ? null : processTreeCpu(this.pid);
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

export class QaParticipant {
  navigationStart = 0;
  /** ms from navigation to the first decoded frame from any remote peer / from all expected peers. */
  firstFrameMs: number | null = null;
  allPeersMs: number | null = null;
  last: ProbeSample | null = null;

  private constructor(
    readonly name: string,
    readonly slot: BrowserSlot,
    readonly page: Page,
  ) {}

  static async open(slot: BrowserSlot, name: string): Promise<QaParticipant> {
    const context = await slot.browser.newContext({ permissions: ['camera', 'microphone'] });
    return new QaParticipant(name, slot, await context.newPage());
  }

  async navigate(url: string, timeoutMs = 30_000): Promise<void> {
    this.navigationStart = performance.now();
    await this.page.goto(url, { timeout: timeoutMs });
  }

  /** One poll; null when the page has no QA hooks (yet). */
  async sample(): Promise<ProbeSample | null> {
    const t = performance.now();
    const got = (await this.page.evaluate(COLLECT_JS).catch(() => null)) as Omit<ProbeSample, 't'> | null;
    if (!got) return null;
    this.last = { t, ...got };
    return this.last;
  }

  /** Polls until frames are decoded from `expectedPeers` remotes (recording join times) or the deadline. */
  async waitForVideo(expectedPeers: number, deadline: number, signal?: AbortSignal, intervalMs = 250): Promise<boolean> {
    while (performance.now() < deadline && !signal?.aborted) {
      const s = await this.sample();
      if (s?.status === 'failed') return false;
      const decoding = s ? decodingPeers(s) : 0;
      if (decoding > 0 && this.firstFrameMs === null) this.firstFrameMs = s!.t - this.navigationStart;
      if (decoding >= expectedPeers) {
        this.allPeersMs = s!.t - this.navigationStart;
        return true;
      }
      await sleep(intervalMs);
    }
    return false;
  }

  /** Leaves through the UI's leave button (a clean leave the server sees), then closes the context. */
  async leave(): Promise<void> {
    await this.page.getByTestId('leave-button').click({ timeout: 2_000 }).catch(() => undefined);
    await this.page.context().close().catch(() => undefined);
  }
}
