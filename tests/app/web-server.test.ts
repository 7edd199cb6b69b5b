// Browser mode over real HTTP with the real model: the same contract validation as Electron IPC,
// sender and host checks, uploads, and results identical to the core's own.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src-core/index.js';
import type { BatchStatus, IpcResponse } from '../../src-main/ipc/contract.js';
import { decodeWire } from '../../src-main/ipc/wire.js';
import { startWebServer, type RunningWebServer } from '../../src-main/web-server.js';

const PNG = fileURLToPath(new URL('../fixtures/page.png', import.meta.url));
let server: RunningWebServer;

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'cbd-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const profileDir = mkdtempSync(join(tmpdir(), 'cbd-web-'));
  mkdirSync(profileDir, { recursive: true });
  server = await startWebServer({ port: 0, profileDir, rendererDir });
});
afterAll(async () => {
  await server?.close();
});

async function ipc<T>(
  channel: string,
  args?: unknown,
  origin: string | null = server.url,
): Promise<{ status: number; body: IpcResponse<T> }> {
  const res = await fetch(`${server.url}/ipc/${channel}`, {
    method: 'POST',
    headers: origin ? { origin } : {},
    body: args === undefined ? '' : JSON.stringify(args),
  });
  return { status: res.status, body: decodeWire<IpcResponse<T>>(await res.text()) };
}

/** A raw request, to send a Host header fetch would not let us forge. */
function rawGet(path: string, host: string): Promise<number> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('browser-mode server', () => {
  it('refuses calls without the app origin, and foreign hosts', async () => {
    expect(await ipc('docs:list', undefined, null)).toMatchObject({
      status: 403,
      body: { ok: false, error: { code: 'forbidden_sender' } },
    });
    expect(await ipc('docs:list', undefined, 'http://evil.example')).toMatchObject({ status: 403 });
    expect(await rawGet('/', 'evil.example:80')).toBe(403);
    expect(await rawGet('/', new URL(server.url).host)).toBe(200);
    expect(await rawGet('/..%2f..%2fetc%2fpasswd', new URL(server.url).host)).toBe(404);
    expect(await rawGet(`/download?path=${encodeURIComponent(PNG)}`, new URL(server.url).host)).toBe(404);
  });

  it('validates arguments through the contract', async () => {
    expect((await ipc('docs:page-image', { docId: 'x', page: -1 })).body).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect((await ipc('settings:update', { theme: 'neon' })).body).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect((await ipc('docs:open', { files: [{ path: PNG }] })).body).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    const res = await fetch(`${server.url}/ipc/docs:list`, {
      method: 'POST',
      headers: { origin: server.url },
      body: '{nope',
    });
    expect(res.status).toBe(400);
  });

  it('detects an uploaded page with the real model exactly as the core does, once', async () => {
    const data = readFileSync(PNG);
    const up = await fetch(`${server.url}/upload?name=page.png`, {
      method: 'POST',
      headers: { origin: server.url },
      body: data,
    });
    const { value } = decodeWire<{ value: { uploadId: string } }>(await up.text());
    const opened = await ipc<Array<{ id: string }>>('docs:open', { files: [{ uploadId: value.uploadId }] });
    expect(opened.body.ok).toBe(true);
    await server.services.queue.idle();
    const batch = (await ipc<BatchStatus>('batch:status')).body;
    if (!batch.ok) throw new Error(batch.error.message);
    expect(batch.value.items[0]).toMatchObject({ status: 'done', pages: 1, engine: 'local' });

    const docId = batch.value.items[0]!.id;
    const results = (await ipc<Array<{ detections: unknown[] }>>('docs:results', { docId })).body;
    const detector = await Detector.create();
    const [core] = await detector.detectFile(data, { conf: 0.05 });
    await detector.dispose();
    expect(results.ok && results.value[0]!.detections).toEqual(core!.detections);
    expect((await ipc<{ inferences: number }>('app:stats')).body).toMatchObject({
      ok: true,
      value: { inferences: 1 },
    });

    const img = (
      await ipc<{ width: number; height: number; data: Uint8Array }>('docs:page-image', { docId, page: 1 })
    ).body;
    if (!img.ok) throw new Error(img.error.message);
    const meta = await sharp(img.value.data).metadata();
    expect([meta.width, meta.height]).toEqual([core!.image.width, core!.image.height]);
  });

  it('opens the files and folders named on its command line (trusted, unlike paths from the page)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-named-'));
    copyFileSync(PNG, join(dir, 'a.png'));
    writeFileSync(join(dir, 'notes.txt'), 'not a form');
    const opened = await server.services.openNamedPaths([dir]);
    expect(opened.map((d) => d.name)).toEqual(['a.png']);
    await expect(server.services.openNamedPaths([join(dir, 'gone.png')])).rejects.toMatchObject({
      code: 'invalid_argument',
      message: 'File not found: gone.png',
    });
    // At launch one bad path keeps none of the others closed, and says why it failed.
    const before = server.services.docs.list().length;
    const failed = await server.services.openLaunchPaths([
      join(dir, 'gone.png'),
      join(dir, 'notes.txt'),
      PNG,
    ]);
    expect(failed).toEqual([
      `${join(dir, 'gone.png')}: File not found: gone.png`,
      `${join(dir, 'notes.txt')}: None of these files is a supported image or PDF.`,
    ]);
    expect(server.services.docs.list().length).toBe(before + 1);
    await server.services.queue.idle();
    const batch = (await ipc<BatchStatus>('batch:status')).body;
    expect(batch.ok && batch.value.items.find((i) => i.name === 'a.png')).toMatchObject({ status: 'done' });
  });
});
