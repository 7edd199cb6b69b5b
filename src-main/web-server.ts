// Browser mode (`npm run web`): the built renderer and the same services as the Electron app, over
// HTTP on 127.0.0.1. One POST /ipc/:channel route goes through the same contract validation;
// native dialogs become uploads (POST /upload) and downloads (GET /download).
// Every API route needs the per-launch token printed in the URL the user opens (as Jupyter does): any
// local process can reach 127.0.0.1 and forge an Origin header, but only the user holds the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { homedir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppServices } from './services/app-services.js';
import { createCloudPort } from './services/cloud-port.js';
import { isInside } from './services/files.js';
import { FileSecretStore, profileKeyCipher } from './services/secrets.js';
import { createConfStore } from './services/settings.js';
import { IpcDispatcher, appSenderCheck } from './ipc/dispatcher.js';
import { encodeWire } from '../src-shared/wire.js';
import type { EventMap, EventName } from '../src-shared/contract.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TOKEN_HEADER = 'x-checkbox-token';
const API_ROUTES = /^\/(ipc\/|upload$|events$|download$)/;
const MAX_IPC_BODY = 8 * 1024 * 1024;
const MAX_UPLOAD = 512 * 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebServerOptions {
  port: number;
  profileDir: string;
  rendererDir: string;
  /** Another origin allowed to call (the Vite dev server proxying to us in `npm run dev`). */
  devOrigin?: string;
  /** The API token; a fresh random one per launch when absent. */
  token?: string;
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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((res, rej) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        rej(
          new HttpError(413, 'payload_too_large', `The request is over ${Math.round(limit / 1048576)} MB.`),
        );
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => res(Buffer.concat(chunks)));
    req.on('error', rej);
  });
}

/** The token as the page sends it: a header on fetch, `?token=` where the browser sets no headers
 *  (EventSource, download links). Compared in constant time. */
function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? url.searchParams.get('token') ?? ''));
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = encodeWire(body, (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export async function startWebServer(opts: WebServerOptions): Promise<RunningWebServer> {
  mkdirSync(opts.profileDir, { recursive: true });
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const sse = new Set<ServerResponse>();
  const emit = <E extends EventName>(name: E, payload: EventMap[E]) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  };
  const secrets = new FileSecretStore(
    join(opts.profileDir, 'secrets.json'),
    profileKeyCipher(opts.profileDir),
  );
  const services = new AppServices({
    profileDir: opts.profileDir,
    shell: 'web',
    version,
    settingsStore: createConfStore(opts.profileDir),
    secrets,
    cloud: createCloudPort(),
    emit,
    pathsFromUploadsOnly: true,
  });

  let origin = '';
  const allowedHosts = new Set<string>();
  const trusted = (url: string) =>
    appSenderCheck({ origins: [origin, ...(opts.devOrigin ? [opts.devOrigin] : [])] })(url);
  const dispatcher = new IpcDispatcher(services.handlers, trusted);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS-rebinding guard: only our own loopback host names.
    if (!allowedHosts.has(req.headers.host ?? ''))
      throw new HttpError(403, 'forbidden_host', 'Unknown host.');
    const url = new URL(req.url ?? '/', origin);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (API_ROUTES.test(url.pathname) && !hasToken(req, url, token)) {
      throw new HttpError(
        401,
        'unauthorized',
        'Open the app with the URL the server printed (it holds the token).',
      );
    }

    if (req.method === 'POST') {
      // A POST must come from our own page: browsers always send Origin on cross-site POSTs.
      const sender = req.headers.origin;
      if (url.pathname.startsWith('/ipc/')) {
        const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
        const body = await readBody(req, MAX_IPC_BODY);
        let args: unknown;
        try {
          args = body.length ? JSON.parse(body.toString('utf8')) : undefined;
        } catch {
          throw new HttpError(400, 'invalid_argument', 'The body is not JSON.');
        }
        const answer = await dispatcher.handle(channel, args, sender);
        const status = answer.ok ? 200 : answer.error.code === 'forbidden_sender' ? 403 : 200;
        return sendJson(res, status, answer);
      }
      if (url.pathname === '/upload') {
        if (!sender || !trusted(sender)) {
          throw new HttpError(403, 'forbidden_sender', 'This upload did not come from the app’s own page.');
        }
        const name = url.searchParams.get('name') ?? 'upload';
        const saved = await services.uploads.save(name, await readBody(req, MAX_UPLOAD));
        return sendJson(res, 200, { ok: true, value: { uploadId: saved.uploadId } });
      }
      throw new HttpError(404, 'not_found', 'No such route.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, 'method_not_allowed', 'Use GET or POST.');

    if (url.pathname === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    if (url.pathname === '/download') {
      const path = url.searchParams.get('path') ?? '';
      if (!isInside(services.exportsRoot, path) || !existsSync(path)) {
        throw new HttpError(404, 'not_found', 'No such export.');
      }
      res.writeHead(200, {
        'content-type': MIME[extname(path)] ?? 'application/octet-stream',
        'content-disposition': `attachment; filename="${basename(path).replace(/"/g, '')}"`,
      });
      createReadStream(path).pipe(res);
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = join(opts.rendererDir, rel);
    if (!isInside(opts.rendererDir, file) || !existsSync(file) || !statSync(file).isFile()) {
      throw new HttpError(404, 'not_found', 'Not found.');
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal', (err as Error).message);
      if (!res.headersSent)
        sendJson(res, e.status, { ok: false, error: { code: e.code, message: e.message } });
      else res.end();
    });
  });
  await new Promise<void>((res) => server.listen(opts.port, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);

  return {
    url: origin,
    token,
    appUrl: `${origin}/?token=${token}`,
    server,
    services,
    async close() {
      for (const res of sse) res.end();
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
