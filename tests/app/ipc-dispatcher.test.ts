import { describe, expect, it } from 'vitest';
import { IpcDispatcher, appSenderCheck, type Handlers } from '../../src-main/ipc/dispatcher.js';
import { contract } from '../../src-shared/contract.js';
import { CheckboxError } from '../../src-shared/errors.js';

const trusted = appSenderCheck({ origins: ['app://renderer', 'http://127.0.0.1:5180'] });
const APP_URL = 'app://renderer/index.html';

function dispatcherWith(handlers: Handlers) {
  const calls: unknown[] = [];
  const wrapped: Handlers = {};
  for (const [name, fn] of Object.entries(handlers)) {
    (wrapped as Record<string, unknown>)[name] = (args: unknown) => {
      calls.push(args);
      return (fn as (a: unknown) => unknown)(args);
    };
  }
  return { d: new IpcDispatcher(wrapped, trusted), calls };
}

describe('IPC dispatcher', () => {
  it('answers a valid call from the app page', async () => {
    const { d, calls } = dispatcherWith({
      getPageImage: ({ page }) => ({ width: page, height: 1, mime: 'image/png', data: new Uint8Array() }),
    });
    const r = await d.handle(contract.getPageImage.channel, { docId: 'abc', page: 2 }, APP_URL);
    expect(r).toMatchObject({ ok: true, value: { width: 2 } });
    expect(calls).toHaveLength(1);
  });

  it('rejects a malformed argument without calling the handler', async () => {
    const { d, calls } = dispatcherWith({
      getPageImage: () => ({ width: 1, height: 1, mime: 'x', data: new Uint8Array() }),
    });
    for (const bad of [
      { docId: 'abc', page: 0 },
      { docId: 'abc', page: '1' },
      { docId: 'abc' },
      { docId: 'a', page: 1, extra: true },
      'x',
      null,
    ]) {
      const r = await d.handle('docs:page-image', bad, APP_URL);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_argument');
    }
    expect(calls).toHaveLength(0);
  });

  it('rejects a bad settings patch (out-of-range conf, unknown engine)', async () => {
    const { d, calls } = dispatcherWith({
      updateSettings: () => {
        throw new Error('must not run');
      },
    });
    for (const bad of [{ defaultConf: 2 }, { engine: 'gpu' }, { modelPath: '/etc/passwd' }]) {
      const r = await d.handle('settings:update', bad, APP_URL);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
    expect(calls).toHaveLength(0);
  });

  it('rejects a foreign sender', async () => {
    const { d, calls } = dispatcherWith({ listDocuments: () => [] });
    for (const sender of [
      'https://evil.example/index.html',
      'http://127.0.0.1:9999/',
      'file:///tmp/evil.html',
      'file:///opt/app/resources/app.asar/dist/renderer/index.html',
      'app://evil/index.html',
      'app:renderer',
      'null',
      'data:text/html,hi',
      'not a url',
      undefined,
    ]) {
      const r = await d.handle('docs:list', undefined, sender);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    expect(calls).toHaveLength(0);
    expect(await d.handle('docs:list', undefined, 'http://127.0.0.1:5180/')).toMatchObject({
      ok: true,
      value: [],
    });
  });

  it('rejects an unknown channel and reports handler errors with their code', async () => {
    const { d } = dispatcherWith({
      getResults: () => {
        throw new CheckboxError('corrupt_image', 'broken page');
      },
    });
    expect(await d.handle('fs:read', { path: '/etc/passwd' }, APP_URL)).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await d.handle('docs:results', { docId: 'x' }, APP_URL)).toEqual({
      ok: false,
      error: { code: 'corrupt_image', message: 'broken page' },
    });
  });

  it('every channel is unique', () => {
    const channels = Object.values(contract).map((c) => c.channel);
    expect(new Set(channels).size).toBe(channels.length);
  });
});
