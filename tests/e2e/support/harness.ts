// One interface over the two shells under test. Browser mode: the web server as a child process and
// Debian's Chromium. Electron: the built app through Playwright's _electron, with native dialogs
// stubbed in the main process (Joplin's approach). Each test gets a fresh profile directory.
import { _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../../../scripts/app/electron-binary.js';
import { contract, type Method } from '../../../src-shared/contract.js';
import { ROOT, serve, type Served } from './processes.js';

export type Shell = 'web' | 'electron';

export interface Harness {
  shell: Shell;
  page: Page;
  profileDir: string;
  /** Opens files the way a user does: file input (browser) or File > Open (Electron). */
  openFiles(paths: string[]): Promise<void>;
  /** Electron asks for a folder; the browser exports under the profile. Returns the stubbed folder, if any. */
  prepareExport(): Promise<string | null>;
  /** Electron: the next native open dialog answers with these paths. Browser mode has none. */
  stubDialog(paths: string[]): Promise<void>;
  /** Calls a contract method from inside the page, through the same bridge the UI uses. */
  call<T>(method: Method, args?: unknown): Promise<T>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const ELECTRON_SKIP = 'Electron binary not available on this machine — skipped';

export function electronAvailable(): boolean {
  return electronBinary() !== null && existsSync(join(ROOT, 'dist', 'main', 'main.js'));
}

function inPage(page: Page) {
  return <T>(method: Method, args?: unknown) =>
    page
      .evaluate(
        async ([m, channel, a]) => {
          const w = window as unknown as {
            checkboxBridge?: { calls: Record<string, (x: unknown) => Promise<unknown>> };
          };
          const r = w.checkboxBridge
            ? await w.checkboxBridge.calls[m]!(a)
            : await (
                await fetch(`/ipc/${channel}`, {
                  method: 'POST',
                  // Browser mode's token, as the page keeps it (src-renderer/src/lib/platform.ts).
                  headers: { 'x-checkbox-token': sessionStorage.getItem('checkbox-token') ?? '' },
                  body: a === undefined ? '' : JSON.stringify(a),
                })
              ).json();
          return r as { ok: boolean; value?: unknown; error?: { message: string } };
        },
        [method, contract[method].channel, args] as const,
      )
      .then((r) => {
        if (!r.ok) throw new Error(r.error?.message);
        return r.value as T;
      });
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready=true]');
}

/** `launchWith`: files named on the app's command line, as a file manager's "Open with" does. */
export async function webHarness(browser: Browser, launchWith: string[] = []): Promise<Harness> {
  const profileDir = mkdtempSync(join(tmpdir(), 'cbd-e2e-web-'));
  const start = () =>
    serve('src-main/web-server.ts', ['--port', '0', '--profile', profileDir, ...launchWith]);
  let server: Served = await start();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 860 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await ready(page);
  return {
    shell: 'web',
    page,
    profileDir,
    async openFiles(paths) {
      await page.getByTestId('file-input').setInputFiles(paths);
    },
    prepareExport: async () => null,
    stubDialog: async () => undefined,
    call: inPage(page),
    async restart() {
      await server.stop();
      server = await start();
      await page.goto(server.url);
      await ready(page);
    },
    async close() {
      await context.close();
      await server.stop();
    },
  };
}

export async function electronHarness(launchWith: string[] = []): Promise<Harness> {
  const profileDir = mkdtempSync(join(tmpdir(), 'cbd-e2e-electron-'));
  let app: ElectronApplication;
  let page: Page;
  const launch = async () => {
    app = await _electron.launch({
      executablePath: electronBinary()!,
      args: [ROOT, `--profile=${profileDir}`, ...launchWith],
      cwd: ROOT,
    });
    page = await app.firstWindow();
    await ready(page);
  };
  await launch();
  const stubDialog = (paths: string[]) =>
    app.evaluate(({ dialog }, filePaths) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths })) as typeof dialog.showOpenDialog;
    }, paths);
  const harness: Harness = {
    shell: 'electron',
    get page() {
      return page;
    },
    profileDir,
    async openFiles(paths) {
      await stubDialog(paths);
      await page.getByTestId('open-files').click();
    },
    async prepareExport() {
      const dir = mkdtempSync(join(tmpdir(), 'cbd-e2e-export-'));
      await stubDialog([dir]);
      return dir;
    },
    stubDialog: async (paths) => void (await stubDialog(paths)),
    call: (m, a) => inPage(page)(m, a),
    async restart() {
      await app.close();
      await launch();
    },
    async close() {
      await app.close();
    },
  };
  return harness;
}
