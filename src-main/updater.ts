// Updates, the Electron side: the decision is update-check.ts (plain Node); here the dialogs, and
// electron-updater downloading and installing from the same generic feed, with the same rollout rule.
// The downloaded installer is checked against the feed's sha512 again before it runs.
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import electronUpdater from 'electron-updater';
import { join } from 'node:path';
import {
  checkForUpdate,
  inRollout,
  installId,
  publishedFeedUrl,
  verifyDownload,
} from './services/update-check.js';

export function createUpdater(window: () => BrowserWindow | null): (interactive: boolean) => Promise<void> {
  const { autoUpdater } = electronUpdater;
  const feedUrl = app.isPackaged ? publishedFeedUrl(join(process.resourcesPath, 'app-update.yml')) : null;
  const ask = async (opts: MessageBoxOptions) => {
    const w = window();
    return (w ? await dialog.showMessageBox(w, opts) : await dialog.showMessageBox(opts)).response;
  };
  let busy = false;

  return async (interactive) => {
    if (busy) return;
    if (!feedUrl) {
      if (interactive) await ask({ type: 'info', message: 'This build has no update feed configured.' });
      return;
    }
    busy = true;
    try {
      const id = installId(join(app.getPath('userData'), 'update-id'));
      const offer = await checkForUpdate({
        baseUrl: feedUrl,
        currentVersion: app.getVersion(),
        platform: process.platform,
        arch: process.arch,
        installId: id,
      });
      if (!offer) {
        if (interactive)
          await ask({ type: 'info', message: `Checkbox Detector ${app.getVersion()} is up to date.` });
        return;
      }
      const install = await ask({
        type: 'question',
        buttons: ['Download and Restart', 'Later'],
        defaultId: 0,
        cancelId: 1,
        message: `Checkbox Detector ${offer.version} is available (you have ${app.getVersion()}).`,
      });
      if (install !== 0) return;
      autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
      autoUpdater.autoDownload = false;
      autoUpdater.isUserWithinRollout = (info) =>
        inRollout(info.stagingPercentage === undefined ? undefined : Number(info.stagingPercentage), id);
      await autoUpdater.checkForUpdates();
      const [file] = await autoUpdater.downloadUpdate();
      if (!file || !(await verifyDownload(offer, file)))
        throw new Error('The download does not match the update feed.');
      autoUpdater.quitAndInstall();
    } catch (err) {
      if (interactive)
        await ask({ type: 'error', message: 'The update check failed.', detail: (err as Error).message });
      else console.error(`Update check: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };
}
