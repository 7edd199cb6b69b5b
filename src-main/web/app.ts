// Browser mode's routes as one Hono app: POST /ipc/:channel through the same zod-validated dispatcher
// as Electron's IPC, uploads and downloads in place of native dialogs, /events, and the built renderer.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { getMimeType } from 'hono/utils/mime';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { toCheckboxError } from '../../src-shared/errors.js';
import { IpcDispatcher, type Handlers } from '../ipc/dispatcher.js';
import { isInside } from '../services/files.js';
import { fail, send } from './answers.js';
import type { EventHub } from './events.js';
import { hostGuard, senderGuard, tokenGuard } from './guards.js';

export interface WebLimits {
  /** Largest IPC call body, in bytes. */
  ipcBytes: number;
  /** Largest upload, in bytes. */
  uploadBytes: number;
}

export const DEFAULT_WEB_LIMITS: WebLimits = { ipcBytes: 8 * 1024 * 1024, uploadBytes: 512 * 1024 * 1024 };

export interface WebAppOptions {
  handlers: Handlers;
  uploads: { save(name: string, data: Uint8Array): Promise<{ uploadId: string }> };
  /** Where exports are written; /download serves nothing else. */
  exportsRoot: string;
  events: EventHub;
  token: string;
  rendererDir: string;
  /** The Host values we answer to (filled once the server knows its port). */
  hosts: ReadonlySet<string>;
  /** Whether an Origin is the app's own page (ours, or the dev server's). */
  trusted: (origin: string) => boolean;
  limits: WebLimits;
}

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/** `attachment` with the name as-is for browsers that read RFC 6266 and an ASCII fallback for the rest. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function createWebApp(o: WebAppOptions): Hono {
  const dispatcher = new IpcDispatcher(o.handlers, o.trusted);
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) =>
        fail(c, 413, 'payload_too_large', `The request is over ${Math.round(maxSize / 1048576)} MB.`),
    });
  const app = new Hono();

  app.use(hostGuard(o.hosts));
  const token = tokenGuard(o.token);
  for (const path of ['/ipc/*', '/upload', '/events', '/download']) app.use(path, token);
  app.use(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'POST') return next();
    c.header('allow', 'GET, HEAD, POST');
    return fail(c, 405, 'method_not_allowed', 'Use GET or POST.');
  });

  app.post('/ipc/:channel', limit(o.limits.ipcBytes), async (c) => {
    const body = await c.req.text();
    let args: unknown;
    try {
      args = body ? JSON.parse(body) : undefined;
    } catch {
      return fail(c, 400, 'invalid_argument', 'The body is not JSON.');
    }
    const answer = await dispatcher.handle(c.req.param('channel'), args, c.req.header('origin'));
    return send(c, !answer.ok && answer.error.code === 'forbidden_sender' ? 403 : 200, answer);
  });

  app.post('/upload', senderGuard(o.trusted), limit(o.limits.uploadBytes), async (c) => {
    const data = new Uint8Array(await c.req.arrayBuffer());
    const saved = await o.uploads.save(c.req.query('name') ?? 'upload', data);
    return send(c, 200, { ok: true, value: { uploadId: saved.uploadId } });
  });

  app.get('/events', (c) => o.events.subscribe(c));

  app.get('/download', (c) => {
    const path = c.req.query('path') ?? '';
    if (!isInside(o.exportsRoot, path) || !isFile(path)) return fail(c, 404, 'not_found', 'No such export.');
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, {
      'content-type': getMimeType(path) ?? 'application/octet-stream',
      'content-disposition': attachment(basename(path)),
    });
  });

  // The renderer's files; serveStatic refuses `..`, encoded separators and anything outside the folder.
  // (`npm run dev` has none here: Vite serves the page.)
  if (existsSync(o.rendererDir)) app.get('*', serveStatic({ root: o.rendererDir }));

  app.notFound((c) => fail(c, 404, 'not_found', 'Not found.'));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return fail(c, err.status as 400, 'invalid_argument', err.message);
    const e = toCheckboxError(err);
    // A page that went away mid-upload is no server failure.
    if (e.httpStatus >= 500 && !c.req.raw.signal.aborted) console.error(err);
    return fail(c, e.httpStatus as 500, e.code, e.message);
  });
  return app;
}
