// The one way the kit and the E2E suite start Firefox: Debian's firefox-esr, driven by
// puppeteer-core over WebDriver BiDi (Playwright drives only its own patched Firefox), headless,
// with fake camera and microphone and no permission prompt. Everything else stays at Firefox's
// defaults, ICE included (so it gathers no loopback candidates, as for real users).
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export const FIREFOX_PREFS: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
};

export interface FirefoxOptions {
  /** Another executable, e.g. the network lab's wrapper that runs Firefox inside a namespace. */
  executablePath?: string;
  /** A fixed WebDriver BiDi port (the lab bridges it out of the namespace); default: any free one. */
  debuggingPort?: number;
  /** Preferences beyond FIREFOX_PREFS (the lab lets camera access work on its plain-http origin). */
  prefs?: Record<string, unknown>;
}

export function launchFirefox(o: FirefoxOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: o.executablePath ?? FIREFOX_PATH,
    headless: true,
    ...(o.debuggingPort ? { debuggingPort: o.debuggingPort } : {}),
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...o.prefs },
    // The caller leaves the call first and closes the browser itself.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
