// What the Electron shell takes from its environment, decided in plain Node (tests/app/launch-config).
// A packaged app ignores every developer switch: one environment variable must not make the signed
// app load another page, trust it for IPC and open DevTools, nor a flag move its profile.
import { resolve } from 'node:path';

/** The renderer's own origin: a privileged custom scheme served from dist/renderer (app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;

export interface LaunchConfig {
  /** The page the window loads. */
  rendererUrl: string;
  /** Origins trusted to call IPC besides app://renderer: the dev server's, in development only. */
  devOrigins: string[];
  /** A profile folder in place of the default userData (tests, development). */
  profileDir: string | null;
  /** DevTools and reload in the View menu and the window. */
  devTools: boolean;
}

export function launchConfig(opts: {
  isPackaged: boolean;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}): LaunchConfig {
  const packaged = opts.isPackaged;
  const devUrl = packaged ? undefined : opts.env.ELECTRON_RENDERER_URL;
  const profile = packaged
    ? undefined
    : (opts.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length) ??
      opts.env.CHECKBOX_PROFILE);
  return {
    rendererUrl: devUrl ?? `${APP_ORIGIN}/index.html`,
    devOrigins: devUrl ? [new URL(devUrl).origin] : [],
    profileDir: profile ? resolve(profile) : null,
    devTools: !packaged,
  };
}
