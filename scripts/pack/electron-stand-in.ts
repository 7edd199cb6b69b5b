// A stand-in for Electron's Linux distribution folder, for packing where Electron cannot be downloaded.
// electron-builder copies an unpacked electronDist folder as the app folder, renames its `electron`
// executable to the app's executableName and moves `LICENSE` to LICENSE.electron.txt; nothing else in it
// is read for a `dir` target. The real folder adds Chromium's files (libraries, .pak, locales) here.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function makeElectronStandIn(dir: string, electronVersion: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const exe = path.join(dir, 'electron');
  await writeFile(
    exe,
    `#!/bin/sh\necho "stand-in for Electron ${electronVersion} (npm run pack:check); build real installers with npm run dist" >&2\nexit 1\n`,
  );
  await chmod(exe, 0o755);
  await writeFile(path.join(dir, 'version'), `${electronVersion}\n`);
  await writeFile(
    path.join(dir, 'LICENSE'),
    "Stand-in for Electron's LICENSE file: the real distribution carries the MIT licence here.\n",
  );
}
