// The one way the kit, the E2E suite and the fixture capture start Chromium: Debian's binary, fake
// camera and mic, and no background networking (the machines' closed network would refuse it, many
// times a second).
import { chromium, type Browser } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
];

export interface LaunchOptions {
  /** A .y4m file Chromium loops as the fake camera (the flag is per process, hence one browser per file). */
  videoFile?: string;
  /** Another executable, e.g. the network lab's wrapper that runs Chromium inside its namespace (lib/lab/). */
  executablePath?: string;
  /** Flags beyond CHROMIUM_FLAGS (the lab's secure-origin flag). */
  args?: readonly string[];
  /** False opens a visible window (the lab's --watch); default true. */
  headless?: boolean;
}

/** Headless Chromium that leaves signal handling to the CLI (lib/cli.ts): it closes browsers after leaving the call. */
export function launchChromium(o: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: o.executablePath ?? CHROMIUM_PATH,
    headless: o.headless ?? true,
    args: [...CHROMIUM_FLAGS, ...(o.videoFile ? [`--use-file-for-fake-video-capture=${o.videoFile}`] : []), ...(o.args ?? [])],
    // Playwright must not race the CLI on Ctrl-C by killing the browser under an open call.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
