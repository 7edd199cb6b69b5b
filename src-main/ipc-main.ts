// Electron side of the IPC contract: every channel goes through the one validating dispatcher, with
// the calling frame's URL as the sender; the dialogs that only a desktop shell has live here.
import { dialog, ipcMain, shell, type BrowserWindow, type WebContents } from 'electron';
import { CheckboxError } from '../src-shared/errors.js';
import { contract, type Method } from '../src-shared/contract.js';
import { IpcDispatcher, type Handlers } from './ipc/dispatcher.js';
import type { AppServices } from './services/app-services.js';
import { FILE_EXTENSIONS } from '../src-shared/formats.js';

/** Links the app may open in the user's browser. */
const EXTERNAL_ALLOW = [/^https:\/\/github\.com\//, /^https:\/\/docs\.aws\.amazon\.com\//];

export function isAllowedExternal(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:' && EXTERNAL_ALLOW.some((re) => re.test(url));
  } catch {
    return false;
  }
}

const imageFilter = { name: 'Scans', extensions: FILE_EXTENSIONS.map((e) => e.slice(1)) };

function shellHandlers(
  services: AppServices,
  windowOf: (wc: WebContents | null) => BrowserWindow | null,
): Handlers {
  const win = () => windowOf(null) ?? undefined;
  const pick = async (opts: Electron.OpenDialogOptions) => {
    const w = win();
    const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? [] : r.filePaths;
  };
  return {
    showOpenFiles: async () => {
      const paths = await pick({ properties: ['openFile', 'multiSelections'], filters: [imageFilter] });
      return paths.length ? services.openPaths(paths) : [];
    },
    showOpenFolder: async () => {
      const [dir] = await pick({ properties: ['openDirectory'] });
      return dir ? services.openFolder(dir) : [];
    },
    showExportDir: async () => {
      const [dir] = await pick({
        properties: ['openDirectory', 'createDirectory'],
        title: 'Export to folder',
      });
      if (dir) services.exportGrants.grantFolder(dir);
      return dir ?? null;
    },
    showModelFile: async () => {
      const [file] = await pick({
        properties: ['openFile'],
        filters: [{ name: 'ONNX model', extensions: ['onnx'] }],
      });
      if (!file) return null;
      services.modelGrants.grantFile(file);
      return services.handlers.chooseModel!({ path: file });
    },
    openExternal: async ({ url }) => {
      if (!isAllowedExternal(url)) throw new CheckboxError('invalid_argument', 'That link is not allowed.');
      await shell.openExternal(url);
      return null;
    },
  };
}

export function registerIpc(
  services: AppServices,
  isTrustedSender: (url: string) => boolean,
  windowOf: (wc: WebContents | null) => BrowserWindow | null,
): void {
  const dispatcher = new IpcDispatcher(
    { ...services.handlers, ...shellHandlers(services, windowOf) },
    isTrustedSender,
  );
  for (const m of Object.keys(contract) as Method[]) {
    const channel = contract[m].channel;
    ipcMain.handle(channel, (event, args: unknown) =>
      dispatcher.handle(channel, args, event.senderFrame?.url),
    );
  }
}
