// The packaged app ignores developer switches and loads its page from app://; the app:// lookup stays
// inside the renderer folder. Plain Node: main.ts only wires these into Electron.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFile } from '../../src-main/app-protocol.js';
import { APP_ORIGIN, launchConfig } from '../../src-main/launch-config.js';
import { REPO } from '../helpers/paths.js';

const argv = ['/opt/Checkbox Detector/checkbox-detector', '--profile=/tmp/elsewhere', 'form.pdf'];
const env = { ELECTRON_RENDERER_URL: 'https://evil.example/', CHECKBOX_PROFILE: '/tmp/other' };

describe('launch configuration', () => {
  it('packaged: every developer switch ignored, the page from app://, no DevTools', () => {
    expect(launchConfig({ isPackaged: true, argv, env })).toEqual({
      rendererUrl: 'app://renderer/index.html',
      devOrigins: [],
      profileDir: null,
      devTools: false,
    });
  });

  it('in development: the dev server, a profile folder and DevTools', () => {
    expect(launchConfig({ isPackaged: false, argv, env })).toEqual({
      rendererUrl: 'https://evil.example/',
      devOrigins: ['https://evil.example'],
      profileDir: resolve('/tmp/elsewhere'),
      devTools: true,
    });
    expect(launchConfig({ isPackaged: false, argv: [], env: { CHECKBOX_PROFILE: '/tmp/p' } })).toMatchObject({
      rendererUrl: `${APP_ORIGIN}/index.html`,
      profileDir: resolve('/tmp/p'),
    });
  });

  it('is what main.ts uses: it reads none of the switches itself and never loads file://', () => {
    const main = readFileSync(join(REPO, 'src-main/main.ts'), 'utf8');
    expect(main).toContain('launchConfig({ isPackaged: app.isPackaged');
    expect(main).not.toMatch(/ELECTRON_RENDERER_URL|CHECKBOX_PROFILE|--profile|loadFile\(/);
  });
});

describe('app:// files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbd-app-protocol-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  writeFileSync(join(renderer, 'assets', 'app.js'), '');
  writeFileSync(join(dir, 'secret.txt'), 'outside');

  it('serves what is inside the renderer folder', () => {
    expect(rendererFile(renderer, 'app://renderer/')).toBe(join(renderer, 'index.html'));
    expect(rendererFile(renderer, 'app://renderer/index.html')).toBe(join(renderer, 'index.html'));
    expect(rendererFile(renderer, 'app://renderer/assets/app.js?v=1#x')).toBe(
      join(renderer, 'assets', 'app.js'),
    );
  });

  it.each([
    'app://renderer/../secret.txt',
    'app://renderer/%2e%2e/secret.txt',
    'app://renderer/assets/..%2f..%2fsecret.txt',
    'app://renderer/%2e%2e%5csecret.txt',
    `app://renderer/${encodeURIComponent(join(dir, 'secret.txt'))}`,
    'app://renderer/assets',
    'app://renderer/missing.js',
    'app://renderer/%00',
    'app://renderer/%E0%A4%A',
    'app://other/index.html',
    `file://${renderer}/index.html`,
  ])('refuses %s', (url) => {
    expect(rendererFile(renderer, url)).toBeNull();
  });
});
