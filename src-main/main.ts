// Electron main: one window with the renderer locked down (context isolation, sandbox, no Node),
// no navigation, no new windows, no permissions, served from app:// rather than file://; developer
// switches only when not packaged (launch-config.ts). Everything else lives in the plain-Node services.
import { BrowserWindow, app, dialog, net, protocol, safeStorage, session, type WebContents } from 'electron';
import Store from 'electron-store';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rendererFile } from './app-protocol.js';
import { showAbout } from './about.js';
import { registerIpc } from './ipc-main.js';
import { APP_ORIGIN, APP_SCHEME, launchConfig } from './launch-config.js';
import { launchPaths } from './launch-files.js';
import { appSenderCheck } from './ipc/dispatcher.js';
import type { EventMap, EventName } from '../src-shared/contract.js';
import { DEFAULT_SETTINGS } from '../src-shared/settings-types.js';
import { buildMenu } from './menu.js';
import { AppServices } from './services/app-services.js';
import { createCloudPort } from './services/cloud-port.js';
import { FileSecretStore, type Cipher } from './services/secrets.js';
import { createUpdater } from './updater.js';
import { confirmingCipher, isWeakBackend } from './services/weak-storage.js';
import { settingsJsonSchema, type KeyValueStore } from './services/settings.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = resolve(here, '..', 'renderer');
const config = launchConfig({ isPackaged: app.isPackaged, argv: process.argv, env: process.env });

// A separate profile (tests, development builds only: see launch-config.ts).
if (config.profileDir) app.setPath('userData', config.profileDir);
// app:// behaves as an https origin (standard, secure, fetch) without file://'s extra privileges.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let win: BrowserWindow | null = null;
const checkUpdates = createUpdater(() => win);

// safeStorage, asking before it stores a secret where Linux has no keyring to protect it.
const safeStorageCipher: Cipher = confirmingCipher(
  {
    available: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  },
  () =>
    isWeakBackend(
      process.platform,
      process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os-keychain',
    ),
  (detail) => {
    const opts = {
      type: 'warning' as const,
      buttons: ['Store Anyway', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'Your API key cannot be stored securely',
      detail,
    };
    return (win ? dialog.showMessageBoxSync(win, opts) : dialog.showMessageBoxSync(opts)) === 0;
  },
);

// Files named at launch (file manager, "Open with", command line) or later (macOS dock and Finder, a second
// launch), held until the services exist.
const namedAtLaunch = launchPaths(process.argv, {
  appFolderArg: Boolean(process.defaultApp),
  cwd: process.cwd(),
});
let openNamed = (paths: string[]): void => void namedAtLaunch.push(...paths);
app.on('open-file', (event, path) => {
  event.preventDefault();
  openNamed([path]);
});

function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

async function start(): Promise<void> {
  await app.whenReady();
  const profileDir = app.getPath('userData');
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, done) => done(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, (request) => {
    const file = rendererFile(rendererDir, request.url);
    return file ? net.fetch(pathToFileURL(file).href) : new Response('Not found', { status: 404 });
  });

  const store = new Store<Record<string, unknown>>({
    name: 'settings',
    schema: settingsJsonSchema(),
    defaults: DEFAULT_SETTINGS as unknown as Record<string, unknown>,
  }) as unknown as KeyValueStore;
  const version = (
    JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as { version: string }
  ).version;
  const emit = <E extends EventName>(name: E, payload: EventMap[E]) => win?.webContents.send(name, payload);
  const services = new AppServices({
    profileDir,
    shell: 'electron',
    version,
    settingsStore: store,
    secrets: new FileSecretStore(join(profileDir, 'secrets.json'), safeStorageCipher),
    cloud: createCloudPort(),
    emit,
    pathsFromUploadsOnly: false,
  });

  registerIpc(services, appSenderCheck({ origins: [APP_ORIGIN, ...config.devOrigins] }), () => win);

  win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Checkbox Detector',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: config.devTools,
    },
  });
  win.once('ready-to-show', () => win?.show());
  const rebuildMenu = () =>
    win &&
    buildMenu(
      win,
      services.settings.get().recent,
      {
        command: (command) => emit('menu:command', { command }),
        checkForUpdates: () => void checkUpdates(true),
        about: () => void showAbout(win, version),
        openRecent: (path) => {
          try {
            services.openPaths([path]);
          } catch {
            /* the renderer shows errors for files that fail to open through the batch */
          }
        },
      },
      config.devTools,
    );
  rebuildMenu();
  services.settings.onChange(rebuildMenu);

  await win.loadURL(config.rendererUrl);
  if (services.settings.get().checkForUpdates) setTimeout(() => void checkUpdates(false), 10_000);

  // Nobody to answer at launch: what opened shows in the list, the rest is reported here.
  openNamed = (paths) =>
    void services
      .openLaunchPaths(paths)
      .then((failed) => failed.forEach((f) => console.error(`Could not open ${f}`)));
  openNamed(namedAtLaunch.splice(0));

  app.on('before-quit', () => void services.close());
}

app.on('web-contents-created', (_e, contents) => lockDown(contents));
app.on('window-all-closed', () => app.quit());
// One instance per profile: launching again (another double-click) hands its files to the running window.
if (app.requestSingleInstanceLock()) {
  app.on('second-instance', (_e, argv, cwd) => {
    openNamed(launchPaths(argv, { appFolderArg: Boolean(process.defaultApp), cwd }));
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  void start();
} else {
  app.quit();
}
