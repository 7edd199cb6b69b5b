// Help > About: the version and the licences (the app's MIT, the bundled model's AGPL-3.0, the
// third-party notices generated from the lockfile), which ship in resources/licenses.
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { ABOUT_DETAIL, LICENCE_FILES, licencesDir } from './licences.js';

export async function showAbout(win: BrowserWindow | null, version: string): Promise<void> {
  const dir = licencesDir(app.isPackaged ? process.resourcesPath : null, app.getAppPath());
  const opts = {
    type: 'info' as const,
    title: 'About Checkbox Detector',
    message: `Checkbox Detector ${version}`,
    detail: ABOUT_DETAIL,
    buttons: ['OK', 'Third-Party Notices', 'Model Licence (AGPL-3.0)'],
    defaultId: 0,
    cancelId: 0,
  };
  const { response } = win ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
  const file = [null, LICENCE_FILES.thirdParty, LICENCE_FILES.model][response];
  if (file) await shell.openPath(join(dir, file));
}
