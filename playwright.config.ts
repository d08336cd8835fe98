// End-to-end tests: real Debian Chromium with fake camera/mic against the real server on loopback.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './scripts/kit/lib/browser/chromium';

const port = Number(process.env.E2E_PORT ?? 3210);
export const E2E_OPERATOR_TOKEN = 'e2e-operator-token-not-a-secret';
export default defineConfig({
  testDir: 'tests/e2e',
  // Several tabs with real media each: one test at a time on a 2-core machine.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  retries: 0,
  outputDir: 'test-results/e2e',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS },
    trace: 'off',
  },
  webServer: {
    command: 'node --import tsx server/main.ts',
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'pipe',
    // A known operator token so the recovery tests can run the failure drill.
    env: { OPERATOR_TOKEN: E2E_OPERATOR_TOKEN, PORT: String(port), TURN_PORT: String(port + 368), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1', NEXT_IGNORE_INCORRECT_LOCKFILE: '1' },
  },
});
