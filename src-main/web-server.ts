// Browser mode (`npm run web`): the built renderer and the same services as the Electron app, over
// HTTP on 127.0.0.1 only. The routes and their guards are in web/ (Hono on @hono/node-server); this file
// starts them with the services and reads the command line.
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppServices } from './services/app-services.js';
import { createCloudPort } from './services/cloud-port.js';
import { FileSecretStore, profileKeyCipher } from './services/secrets.js';
import { createConfStore } from './services/settings.js';
import { appSenderCheck } from './ipc/dispatcher.js';
import { DEFAULT_WEB_LIMITS, createWebApp, type WebLimits } from './web/app.js';
import { EventHub } from './web/events.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface WebServerOptions {
  port: number;
  profileDir: string;
  rendererDir: string;
  /** Another origin allowed to call (the Vite dev server proxying to us in `npm run dev`). */
  devOrigin?: string;
  /** The API token; a fresh random one per launch when absent. */
  token?: string;
  /** Body size limits (tests lower them). */
  limits?: Partial<WebLimits>;
}

export interface RunningWebServer {
  /** The server's origin. */
  url: string;
  token: string;
  /** What the user opens: the page with the token, which it keeps and sends on every API call. */
  appUrl: string;
  server: Server;
  services: AppServices;
  close(): Promise<void>;
}

export async function startWebServer(opts: WebServerOptions): Promise<RunningWebServer> {
  mkdirSync(opts.profileDir, { recursive: true });
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const events = new EventHub();
  const services = new AppServices({
    profileDir: opts.profileDir,
    shell: 'web',
    version,
    settingsStore: createConfStore(opts.profileDir),
    secrets: new FileSecretStore(join(opts.profileDir, 'secrets.json'), profileKeyCipher(opts.profileDir)),
    cloud: createCloudPort(),
    emit: events.emit,
    pathsFromUploadsOnly: true,
  });

  // Our origin and host names are known once the OS has picked the port (`--port 0`).
  let origin = '';
  const hosts = new Set<string>();
  const app = createWebApp({
    handlers: services.handlers,
    uploads: services.uploads,
    exportsRoot: services.exportsRoot,
    events,
    token,
    rendererDir: opts.rendererDir,
    hosts,
    trusted: (url) => appSenderCheck({ origins: [origin, ...(opts.devOrigin ? [opts.devOrigin] : [])] })(url),
    limits: { ...DEFAULT_WEB_LIMITS, ...opts.limits },
  });
  const { server, port } = await new Promise<{ server: Server; port: number }>((done) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: '127.0.0.1' }, (info) =>
      done({ server: s as Server, port: info.port }),
    );
  });
  origin = `http://127.0.0.1:${port}`;
  hosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);

  return {
    url: origin,
    token,
    appUrl: `${origin}/?token=${token}`,
    server,
    services,
    async close() {
      events.close();
      await services.close();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '5180' },
      profile: {
        type: 'string',
        default: process.env.CHECKBOX_PROFILE ?? join(homedir(), '.config', 'checkbox-detector-web'),
      },
      renderer: { type: 'string', default: join(REPO_ROOT, 'dist', 'renderer') },
      'dev-origin': { type: 'string' },
    },
  });
  const rendererDir = resolve(values.renderer);
  const devOrigin = values['dev-origin'];
  if (!devOrigin && !existsSync(join(rendererDir, 'index.html'))) {
    console.error(`No built renderer in ${rendererDir}: run "npm run build:renderer" first.`);
    process.exit(1);
  }
  const running = await startWebServer({
    port: Number(values.port),
    profileDir: resolve(values.profile),
    rendererDir,
    ...(devOrigin ? { devOrigin } : {}),
    // `npm run dev` shares one token between the Vite page and this server.
    ...(process.env.CHECKBOX_WEB_TOKEN ? { token: process.env.CHECKBOX_WEB_TOKEN } : {}),
  });
  console.log(`Checkbox Detector (browser mode) listening on ${running.appUrl}`);
  // Files and folders named on the command line open as in the desktop app started with them.
  const failed = await running.services.openLaunchPaths(positionals.map((p) => resolve(p)));
  for (const f of failed) console.error(`Could not open ${f}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
