import { defineConfig, devices } from '@playwright/test';

/**
 * e2e: the real UI against the real headless server (`dist/cli.js serve`), in Debian's Chromium
 * (no browser download). The `electron` project launches the desktop shell where an Electron
 * binary is installed and reports a skip, with the reason, where it is not.
 * Smoke subset: `npx playwright test --grep @smoke`.
 */
const chromiumPath = process.env.RIGLEASE_E2E_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  // A local mirror of shared/upstream for the CRDs a stack `up` fetches: the server inherits it.
  globalSetup: './test/global-setup.ts',
  // Under test-results/ but in its own folder: Playwright empties its outputDir on every run,
  // and the unit-test JSON report lives beside it.
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  // Every test starts its own agent and browser. Two at a time on the 2-core CI machine took the
  // suite from 5.4 to 4.0 min (two clean runs, nothing flaky): much of a test is waiting on its
  // agent, Docker or a timer, not computing. Spec files still run their tests in order.
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/e2e-results.json' }],
  ],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
    {
      name: 'electron',
      testMatch: /electron\.spec\.ts$/,
    },
  ],
});
