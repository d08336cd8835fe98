// One participant = one headless Chromium process (the fake-capture file flag is per process) with
// one page on the QA URL, watched through the app's hooks until it joins and decodes its peers.
import type { Browser, Page } from '@playwright/test';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppSample, CallError } from '../hooks';
import { findDescendantByCmdline, processTreeCpu } from '../measure/proc';
import { launchChromium, type LaunchOptions } from './chromium';
import { decodingPeers, EXPORT_SAMPLES_JS, READ_JS, type ProbeReading } from './probe';

/** A launched browser that can host one participant page at a time (reused across benchmark steps). */
export class BrowserSlot {
  private constructor(
    readonly browser: Browser,
    readonly videoFile: string,
    /** Root pid of this Chromium's process tree, or null when /proc could not find it. */
    readonly pid: number | null,
  ) {}

  /** `o`: another Chromium executable and flags (the network lab runs each browser in its own host). */
  static async launch(videoFile: string, o: Omit<LaunchOptions, 'videoFile'> = {}): Promise<BrowserSlot> {
    const browser = await launchChromium({ ...o, videoFile });
    return new BrowserSlot(browser, videoFile, findDescendantByCmdline(process.pid, videoFile));
  }

  cpuSeconds(): number | null {
    return this.pid === null ? null : processTreeCpu(this.pid);
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

export type JoinOutcome = { ok: true } | { ok: false; error: CallError };

/** Kit-side codes for joins that end without an app error (README "Exit codes"). */
export const NO_QA_HOOKS = 'NO_QA_HOOKS';
export const JOIN_TIMEOUT = 'JOIN_TIMEOUT';
export const NAVIGATION_FAILED = 'NAVIGATION_FAILED';

export class QaParticipant {
  navigationStart = 0;
  /** ms from navigation to the first decoded frame from any remote peer / from every peer expected. */
  firstFrameMs: number | null = null;
  allPeersMs: number | null = null;
  last: ProbeReading | null = null;
  /** Why the join failed, once it has; null while joining or after a successful join. */
  joinError: CallError | null = null;
  private join: Promise<JoinOutcome> = Promise.resolve({ ok: false, error: { code: JOIN_TIMEOUT, message: 'never navigated' } });
  private video: Promise<boolean> = Promise.resolve(false);

  private constructor(
    readonly name: string,
    readonly slot: BrowserSlot,
    readonly page: Page,
  ) {}

  static async open(slot: BrowserSlot, name: string): Promise<QaParticipant> {
    const context = await slot.browser.newContext({ permissions: ['camera', 'microphone'] });
    return new QaParticipant(name, slot, await context.newPage());
  }

  /**
   * Loads the room URL and starts watching the page in the background, one poll per `intervalMs`,
   * until it decodes video from every peer in its roster (at least `expectedPeers`), fails, or
   * `timeoutMs` passes. One watcher records both join and first-frame times, so nothing the CLI
   * awaits meanwhile delays them. Never throws: a page that does not load is a failed join.
   */
  async navigate(url: string, o: { expectedPeers: number; timeoutMs: number; signal?: AbortSignal; intervalMs?: number }): Promise<void> {
    this.navigationStart = performance.now();
    const deadline = this.navigationStart + o.timeoutMs;
    let resolveJoin: (j: JoinOutcome) => void = () => undefined;
    this.join = new Promise((resolve) => (resolveJoin = resolve));
    let settled = false;
    const settle = (j: JoinOutcome) => {
      if (settled) return;
      settled = true;
      if (!j.ok) this.joinError = j.error;
      resolveJoin(j);
    };
    try {
      await this.page.goto(url, { timeout: o.timeoutMs });
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      settle({ ok: false, error: { code: NAVIGATION_FAILED, message: `${url}: ${message}` } });
      this.video = Promise.resolve(false);
      return;
    }
    this.video = this.watch(o.expectedPeers, deadline, o.signal, o.intervalMs ?? 250, settle);
  }

  /** Resolves once the page has joined, or with the error that ended its join. */
  joined(): Promise<JoinOutcome> {
    return this.join;
  }

  /** Resolves true once frames are decoded from every expected peer, false on failure or timeout. */
  decodingAll(): Promise<boolean> {
    return this.video;
  }

  /** One read of the page's hooks; null when the page has none (yet). */
  async read(): Promise<ProbeReading | null> {
    const got = (await this.page.evaluate(READ_JS).catch(() => null)) as Omit<ProbeReading, 't'> | null;
    if (!got) return null;
    this.last = { t: performance.now(), ...got };
    return this.last;
  }

  /** The app's samples taken at or after `since` (page clock, ms); all of them when since is null. */
  async samplesSince(since: number | null): Promise<AppSample[]> {
    const all = ((await this.page.evaluate(EXPORT_SAMPLES_JS).catch(() => [])) ?? []) as AppSample[];
    return since === null ? all : all.filter((s) => s.timestamp >= since);
  }

  /** Leaves through the UI's leave button (a clean leave the server sees), then closes the context. */
  async leave(): Promise<void> {
    await this.page.getByTestId('leave-button').click({ timeout: 2_000 }).catch(() => undefined);
    await this.page.context().close().catch(() => undefined);
  }

  private async watch(
    expectedPeers: number,
    deadline: number,
    signal: AbortSignal | undefined,
    intervalMs: number,
    settle: (j: JoinOutcome) => void,
  ): Promise<boolean> {
    let joined = false;
    try {
      while (performance.now() < deadline && !signal?.aborted) {
        const r = await this.read();
        if (r?.status === 'failed' || r?.status === 'left') {
          settle({ ok: false, error: r.error ?? { code: r.status.toUpperCase(), message: `the page's call status is "${r.status}"` } });
          return false;
        }
        if (r?.status === 'joined' && !joined) {
          joined = true;
          settle({ ok: true });
        }
        if (r && joined) {
          const decoding = decodingPeers(r);
          if (decoding > 0 && this.firstFrameMs === null) this.firstFrameMs = r.t - this.navigationStart;
          if (decoding >= Math.max(expectedPeers, r.roster.length)) {
            this.allPeersMs = r.t - this.navigationStart;
            return true;
          }
        }
        await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
      }
      return false;
    } finally {
      // Only takes effect when the loop ended before a join: a timeout, or an interruption.
      settle({ ok: false, error: this.timeoutError(signal) });
    }
  }

  private timeoutError(signal: AbortSignal | undefined): CallError {
    if (signal?.aborted) return { code: 'INTERRUPTED', message: 'interrupted before the page joined' };
    if (this.last === null) return { code: NO_QA_HOOKS, message: 'the page never exposed window.__call (not a room page, or it did not load)' };
    return { code: JOIN_TIMEOUT, message: `still "${this.last.status}" when the join timeout ran out` };
  }
}
