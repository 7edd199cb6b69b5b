import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchPaths } from '../../src-main/launch-files.js';

const cwd = resolve('/home/ann/scans');
const packaged = { appFolderArg: false, cwd };
const dev = { appFolderArg: true, cwd };

describe('launchPaths', () => {
  it('takes what follows the installed executable, relative paths from where it was started', () => {
    const abs = resolve('/tmp/form 1.pdf');
    expect(launchPaths(['/opt/Checkbox Detector/checkbox-detector', 'a.png', abs], packaged)).toEqual([
      join(cwd, 'a.png'),
      abs,
    ]);
    expect(launchPaths(['/opt/Checkbox Detector/checkbox-detector'], packaged)).toEqual([]);
  });

  it('skips the app folder Electron runs and every switch, wherever the driver put them', () => {
    const argv = [
      'electron',
      '--inspect=0',
      '--remote-debugging-port=0',
      '/repo',
      '--profile=/tmp/p',
      'b.jpg',
    ];
    expect(launchPaths(argv, dev)).toEqual([join(cwd, 'b.jpg')]);
    expect(launchPaths(['electron', '.'], dev)).toEqual([]);
    expect(
      launchPaths(['app.exe', '--squirrel-firstrun', '--allow-file-access-from-files'], packaged),
    ).toEqual([]);
  });

  it('turns the file:// URLs of a Linux desktop entry into paths', () => {
    const file = resolve('/home/ann/scans/intake form.pdf');
    expect(launchPaths(['checkbox-detector', pathToFileURL(file).href], packaged)).toEqual([file]);
  });
});
