import { defineConfig } from '@playwright/test';
import { ELECTRON_SKIP, electronAvailable } from './support/harness.js';

// Say it once, up front; each Electron test is also skipped with this reason (see fixtures.ts).
if (!electronAvailable() && !process.env.TEST_WORKER_INDEX) console.log(`[electron] ${ELECTRON_SKIP}`);

// One worker: the real model runs in the app under test on a 2-core machine. A quiet run of the
// suite takes about 1.5 minutes; the limits are wide because the machine is shared with training.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e',
  timeout: 600_000,
  expect: { timeout: 180_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1400, height: 860 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'web', metadata: { shell: 'web' } },
    { name: 'electron', metadata: { shell: 'electron' } },
  ],
});
