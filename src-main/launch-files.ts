// The files a person asks the app to open as it starts: a double-click on a form in the file manager,
// "Open with", a second launch while it runs, `checkbox-detector-app form.pdf`. Plain Node, shared by both
// shells and the tests; Electron's events only hand it their argv.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LaunchContext {
  /** Electron running an app folder (`electron <folder> ...`, process.defaultApp): the first argument that is
   *  not a switch is that folder, not a file to open. */
  appFolderArg: boolean;
  /** The directory the command was started in; relative paths are relative to it. */
  cwd: string;
}

/**
 * Paths named on a command line: the arguments after the executable (and the app folder) that are not
 * switches — Chromium, Squirrel and test drivers add their own, before or after — made absolute. Linux
 * desktop entries pass file:// URLs (%U).
 */
export function launchPaths(argv: readonly string[], ctx: LaunchContext): string[] {
  const named = argv.slice(1).filter((arg) => arg !== '' && !arg.startsWith('-'));
  return (ctx.appFolderArg ? named.slice(1) : named).map((arg) => {
    if (arg.startsWith('file://')) return fileURLToPath(arg);
    return isAbsolute(arg) ? arg : resolve(ctx.cwd, arg);
  });
}
