// Browser mode over real HTTP with the real model: the same contract validation as Electron IPC,
// sender and host checks, uploads, and results identical to the core's own.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src-core/index.js';
import type { BatchStatus, IpcResponse } from '../../src-shared/contract.js';
import { decodeWire } from '../../src-shared/wire.js';
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
    headers: { 'x-checkbox-token': server.token, ...(origin ? { origin } : {}) },
    body: args === undefined ? '' : JSON.stringify(args),
  });
  return { status: res.status, body: decodeWire<IpcResponse<T>>(await res.text()) };
}

/** A raw request, to send a Host header fetch would not let us forge. */
function rawGet(path: string, host: string, token = server.token): Promise<number> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host, 'x-checkbox-token': token } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/** The stream's text up to and including `marker`; then it stops reading. */
async function readUntil(res: Response, marker: string): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`The stream ended before ${marker}: ${text}`);
    text += value;
  }
  await reader.cancel();
  return text;
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

  it('refuses every API route without the launch token, and serves the page without it', async () => {
    const host = new URL(server.url).host;
    expect(server.appUrl).toBe(`${server.url}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    for (const token of ['', 'x'.repeat(server.token.length), server.token.slice(1)]) {
      const res = await fetch(`${server.url}/ipc/docs:list`, {
        method: 'POST',
        headers: { origin: server.url, 'x-checkbox-token': token },
        body: '',
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(await rawGet('/events', host, token)).toBe(401);
      expect(await rawGet(`/download?path=x`, host, token)).toBe(401);
    }
    const upload = await fetch(`${server.url}/upload?name=a.png`, {
      method: 'POST',
      headers: { origin: server.url },
      body: readFileSync(PNG),
    });
    expect(upload.status).toBe(401);
    expect(
      (
        await fetch(`${server.url}/ipc/docs:list?token=${server.token}`, {
          method: 'POST',
          headers: { origin: server.url },
        })
      ).status,
    ).toBe(200);
    expect(await rawGet('/', host, '')).toBe(200);
  });

  it('exports only inside the profile, and loads models only from its models folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cbd-outside-'));
    const refused = await ipc('export:run', { scope: 'batch', formats: ['json'], conf: 0.2, dir: outside });
    expect(refused.body).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringMatching(/^An export folder must be picked/) },
    });
    expect(readdirSync(outside)).toEqual([]);
    const sneaky = join(server.services.exportsRoot, '..', '..', 'escaped');
    expect(
      (await ipc('export:run', { scope: 'batch', formats: ['json'], conf: 0.2, dir: sneaky })).body,
    ).toMatchObject({
      ok: false,
    });
    expect(existsSync(sneaky)).toBe(false);
    // Inside the profile the folder passes; the export then stops only because nothing is open yet.
    const inside = join(server.services.exportsRoot, 'mine');
    expect(
      (await ipc('export:run', { scope: 'batch', formats: ['json'], conf: 0.2, dir: inside })).body,
    ).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: 'There are no results to export yet.' },
    });

    // An existing file and a missing one get the same answer: choose-model is no probe of the disk.
    const existing = await ipc('settings:choose-model', { path: PNG });
    const missing = await ipc('settings:choose-model', { path: join(outside, 'nothing.onnx') });
    expect(existing.body).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(missing.body).toEqual(existing.body);
    const models = join(server.services.exportsRoot, '..', 'models');
    mkdirSync(models, { recursive: true });
    copyFileSync(PNG, join(models, 'page.png'));
    expect((await ipc('settings:choose-model', { path: join(models, 'page.png') })).body).toMatchObject({
      ok: false,
      error: { code: 'invalid_model' },
    });
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
      headers: { origin: server.url, 'x-checkbox-token': server.token },
      body: '{nope',
    });
    expect(res.status).toBe(400);
  });

  it('detects an uploaded page with the real model exactly as the core does, once', async () => {
    const data = readFileSync(PNG);
    const up = await fetch(`${server.url}/upload?name=page.png`, {
      method: 'POST',
      headers: { origin: server.url, 'x-checkbox-token': server.token },
      body: data,
    });
    const { value } = decodeWire<{ value: { uploadId: string } }>(await up.text());
    // The page hears of the batch over /events (the token in the query, as EventSource sends it).
    const events = await fetch(`${server.url}/events?token=${server.token}`);
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const progress = readUntil(events, 'event: batch:progress\ndata: {');
    const opened = await ipc<Array<{ id: string }>>('docs:open', { files: [{ uploadId: value.uploadId }] });
    expect(opened.body.ok).toBe(true);
    expect(await progress).toContain(': connected\n\nevent: batch:progress\ndata: {"seq":');
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

describe("browser-mode server: limits, files and a client's mistakes", () => {
  let small: RunningWebServer;
  let rendererDir: string;
  const post = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(`${small.url}${path}`, {
      method: 'POST',
      headers: { origin: small.url, 'x-checkbox-token': small.token, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
  const errorOf = async (res: Response) => ({ status: res.status, body: await res.json() });

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'cbd-renderer-'));
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
    small = await startWebServer({
      port: 0,
      profileDir: mkdtempSync(join(tmpdir(), 'cbd-web-')),
      rendererDir,
      limits: { ipcBytes: 1024, uploadBytes: 4096 },
    });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('refuses bodies over the limits with 413, whether their length is announced or streamed', async () => {
    const tooBig = { status: 413, body: { ok: false, error: { code: 'payload_too_large' } } };
    expect(await errorOf(await post('/upload?name=a.png', new Uint8Array(5000)))).toMatchObject(tooBig);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(1000));
        controller.close();
      },
    });
    expect(await errorOf(await post('/upload?name=a.png', chunked))).toMatchObject(tooBig);
    expect(
      await errorOf(await post('/ipc/docs:list', JSON.stringify({ pad: 'x'.repeat(2000) }))),
    ).toMatchObject(tooBig);
    const fits = await post('/upload?name=a.png', new Uint8Array(4096));
    expect(fits.status).toBe(200);
  });

  it("answers a client's mistakes with a 4xx, never a 500", async () => {
    // A malformed escape in the channel: an unknown channel, not a crash.
    const odd = await post('/ipc/%E0%A4%A', '');
    expect(odd.status).toBeLessThan(500);
    expect(await odd.json()).toMatchObject({ ok: false });
    // Upload names are only a hint: dots, separators and nothing at all still store the file.
    for (const name of ['..', '.', '../../x.png', '']) {
      const res = await post(`/upload?name=${encodeURIComponent(name)}`, new Uint8Array([1, 2, 3]));
      expect(res.status, name).toBe(200);
    }
    const put = await fetch(`${small.url}/`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await fetch(`${small.url}/%zz`)).status).toBe(404);
    expect((await fetch(`${small.url}/assets/..%2f..%2findex.html`)).status).toBe(404);
    const upload = await fetch(`${small.url}/upload?name=a.png`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'x-checkbox-token': small.token },
      body: 'x',
    });
    expect(await errorOf(upload)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden_sender' } },
    });
  });

  it('serves the renderer with its media types, and exports as downloads under their own name', async () => {
    const types = async (path: string) => (await fetch(`${small.url}${path}`)).headers.get('content-type');
    expect(await types('/')).toMatch(/^text\/html/);
    expect(await types('/assets/app.js')).toMatch(/^text\/javascript/);
    expect(await types('/assets/app.css')).toMatch(/^text\/css/);
    const head = await fetch(`${small.url}/index.html`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await fetch(`${small.url}/index.html`)).headers.get('x-content-type-options')).toBe('nosniff');

    mkdirSync(small.services.exportsRoot, { recursive: true });
    const exported = join(small.services.exportsRoot, 'formulaire é.json');
    writeFileSync(exported, '{"a":1}');
    const res = await fetch(
      `${small.url}/download?token=${small.token}&path=${encodeURIComponent(exported)}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="formulaire _.json"; filename*=UTF-8''formulaire%20%C3%A9.json`,
    );
    expect(await res.text()).toBe('{"a":1}');
    const folder = `${small.url}/download?token=${small.token}&path=${encodeURIComponent(small.services.exportsRoot)}`;
    expect((await fetch(folder)).status).toBe(404);
  });

  it('closes with a page still listening to /events', async () => {
    const events = await fetch(`${small.url}/events`, { headers: { 'x-checkbox-token': small.token } });
    expect(events.status).toBe(200);
    const ended = events.text();
    await small.close();
    await ended;
    small = undefined as unknown as RunningWebServer;
  });
});
