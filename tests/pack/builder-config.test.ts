// electron-builder.yml is checked against electron-builder's own schema, and a wrong key stops
// `npm run pack:check` loudly, with the key named, before anything is built.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuilderConfigError, loadBuilderConfig } from '../../scripts/pack/builder-config.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG = path.join(root, 'electron-builder.yml');

let dir: string;
let original: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cbd-builder-config-'));
  original = await readFile(CONFIG, 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A copy of the project's configuration with one edit; the edit must apply. */
async function variant(name: string, edit: (yml: string) => string): Promise<string> {
  const changed = edit(original);
  expect(changed).not.toBe(original);
  const file = path.join(dir, name);
  await writeFile(file, changed);
  return file;
}

/** Loading `file` fails with a BuilderConfigError whose message contains every one of `parts`. */
async function expectRejected(file: string, ...parts: Array<string | RegExp>): Promise<void> {
  const loading = loadBuilderConfig(root, file);
  await expect(loading).rejects.toBeInstanceOf(BuilderConfigError);
  for (const part of parts) await expect(loading).rejects.toThrow(part);
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder, with the product identity and targets the installers need', async () => {
    const config = await loadBuilderConfig(root, CONFIG);
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('Checkbox Detector');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toBe('nsis');
    expect(JSON.stringify(config.mac?.target)).toContain('dmg');
    // Per OS (Linux, macOS): NSIS registers top-level associations as defaults (installer-config.ts).
    for (const os of [config.linux, config.mac]) {
      const extensions = (os?.fileAssociations as Array<{ ext: string | string[] }>).flatMap((a) => a.ext);
      expect(extensions.sort()).toEqual(['bmp', 'jpeg', 'jpg', 'pdf', 'png', 'tif', 'tiff', 'webp']);
    }
  });

  it('names an unknown top-level key', async () => {
    const file = await variant('root-key.yml', (yml) => `${yml}\nproductNmae: Typo\n`);
    await expectRejected(file, 'unknown key: productNmae');
  });

  it('names an unknown key inside a section, which electron-builder alone reports only as the section', async () => {
    const file = await variant('nested-key.yml', (yml) =>
      yml.replace(/^nsis:\n/m, 'nsis:\n  oneClik: false\n'),
    );
    // electron-builder's own report follows the named key.
    await expectRejected(file, 'unknown key: nsis.oneClik', 'configuration.nsis');
  });

  it('reports a value of the wrong type', async () => {
    const file = await variant('wrong-type.yml', (yml) => yml.replace(/^asar: true$/m, 'asar: [1, 2]'));
    await expectRejected(file, /configuration\.asar/);
  });

  it('makes npm run pack:check fail before building anything, naming the key', async () => {
    const file = await variant('pack-check.yml', (yml) =>
      yml.replace(/^linux:\n/m, 'linux:\n  targte: dir\n'),
    );
    const result = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/pack/check.ts', '--config', file],
      {
        cwd: root,
      },
    ).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result, 'pack:check passed with an unknown key').not.toBeNull();
    expect(result!.code).toBe(1);
    expect(result!.stderr).toContain('unknown key: linux.targte');
    expect(result!.stdout).not.toContain('app build');
  }, 300_000); // a fresh tsx process; slow only on a loaded machine
});
