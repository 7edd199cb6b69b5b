// The `app` fixture: the same specs run against browser mode and against Electron (project name).
import { test as base, expect } from '@playwright/test';
import { ELECTRON_SKIP, electronAvailable, electronHarness, webHarness, type Harness } from './harness.js';
import { AppPage } from './app-page.js';

export const test = base.extend<{ app: Harness; ui: AppPage; launchWith: string[] }>({
  /** Files the app is started with (test.use({ launchWith })): none by default. */
  launchWith: [[], { option: true }],
  app: async ({ browser, launchWith }, use, info) => {
    const shell = info.project.name === 'electron' ? 'electron' : 'web';
    if (shell === 'electron' && !electronAvailable()) {
      info.skip(true, ELECTRON_SKIP);
      return;
    }
    const harness =
      shell === 'electron' ? await electronHarness(launchWith) : await webHarness(browser, launchWith);
    await use(harness);
    await harness.close();
  },
  ui: async ({ app }, use) => {
    await use(new AppPage(app));
  },
});

export { expect };
