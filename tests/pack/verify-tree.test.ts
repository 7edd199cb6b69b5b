// The packed-tree checks of npm run pack:check, on small trees packed here with @electron/asar: a
// tree laid out like electron-builder's passes, and each packaging mistake is reported.
import { createPackageWithOptions } from '@electron/asar';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryKind } from '../../scripts/pack/binary-kind.js';
import { verifyPackedTree, type TreeExpectations } from '../../scripts/pack/verify-tree.js';

/** The first bytes of real binaries: an x86-64 ELF, an arm64 Mach-O, an x86-64 PE. */
function elf(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // 64-bit
  b[5] = 1; // little-endian
  b.writeUInt16LE(machine, 18);
  return b;
}
function machO(cpu: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(0xfeedfacf, 0);
  b.writeUInt32LE(cpu, 4);
  return b;
}
function pe(machine: number): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'ascii');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'ascii');
  b.writeUInt16LE(machine, 0x84);
  return b;
}

const ORT = 'node_modules/onnxruntime-node';

/** App files (path -> content) as electron-builder would stage them before making app.asar. */
function appFiles(): Record<string, string | Buffer> {
  return {
    'package.json': JSON.stringify({
      name: 'app',
      main: 'dist/main/main.js',
      dependencies: { 'onnxruntime-node': '1' },
    }),
    'dist/main/main.js': 'export {};',
    'dist/main/preload.cjs': '',
    'dist/main/pool-worker.js': 'export {};',
    'dist/renderer/index.html':
      '<script type="module" src="./assets/index.js"></script><link href="./assets/index.css">',
    'dist/renderer/assets/index.js': '',
    'dist/renderer/assets/index.css': '',
    [`${ORT}/package.json`]: JSON.stringify({
      name: 'onnxruntime-node',
      dependencies: { 'onnxruntime-common': '1' },
    }),
    [`${ORT}/bin/napi-v6/linux/x64/onnxruntime_binding.node`]: elf(0x3e),
    'node_modules/onnxruntime-common/package.json': JSON.stringify({ name: 'onnxruntime-common' }),
  };
}

let work: string;
let model: string;
let n = 0;
const expectations = (): TreeExpectations => ({
  platform: 'linux',
  arch: 'x64',
  executableName: 'checkbox-detector',
  modelSource: model,
  unpackedPackages: ['onnxruntime-node'],
});

async function writeAll(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
}

/** Packs `files` into <tree>/resources/app.asar, native modules unpacked, plus the files beside it. */
async function packTree(
  files: Record<string, string | Buffer>,
  beside: Record<string, string | Buffer> = {},
): Promise<string> {
  const tree = path.join(work, `tree-${n++}`);
  const staged = `${tree}-app`;
  await writeAll(staged, files);
  await mkdir(path.join(tree, 'resources'), { recursive: true });
  await createPackageWithOptions(staged, path.join(tree, 'resources/app.asar'), {
    unpackDir: '{node_modules/onnxruntime-node,node_modules/onnxruntime-node/**}',
  });
  await writeAll(tree, {
    'checkbox-detector': '#!/bin/sh\n',
    'resources/models/model.onnx': 'the model',
    'resources/models/tessdata/eng.traineddata.gz': 'the OCR model',
    'resources/licenses/LICENSE.txt': 'MIT',
    'resources/licenses/NOTICE.txt': 'notice',
    'resources/licenses/AGPL-3.0.txt': 'GNU AFFERO GENERAL PUBLIC LICENSE',
    'resources/licenses/THIRD-PARTY-NOTICES.txt': 'model: AGPL-3.0; onnxruntime-node, pdfjs-dist, sharp',
    'resources/app-update.yml': 'provider: generic\nurl: https://updates.example.com/cbd\n',
    ...beside,
  });
  return tree;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'cbd-verify-tree-'));
  model = path.join(work, 'model.onnx');
  await writeFile(model, 'the model');
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('binaryKind', () => {
  it('reads platform and CPU from ELF, Mach-O and PE headers, and nothing from other files', () => {
    expect(binaryKind(elf(0x3e))).toEqual({ format: 'ELF', platform: 'linux', arch: 'x64' });
    expect(binaryKind(elf(0xb7))).toEqual({ format: 'ELF', platform: 'linux', arch: 'arm64' });
    expect(binaryKind(machO(0x0100000c))).toEqual({ format: 'Mach-O', platform: 'darwin', arch: 'arm64' });
    expect(binaryKind(pe(0x8664))).toEqual({ format: 'PE', platform: 'win32', arch: 'x64' });
    expect(binaryKind(Buffer.from('{"name":"x"}'))).toBeNull();
    expect(binaryKind(Buffer.from('\x89PNG\r\n\x1a\n'))).toBeNull();
  });
});

describe('verifyPackedTree', () => {
  it('passes a tree laid out as electron-builder lays it out, and measures it', async () => {
    const report = verifyPackedTree(await packTree(appFiles()), expectations());
    expect(report.problems).toEqual([]);
    expect(report.binaries.map((b) => b.path)).toEqual([
      `resources/app.asar.unpacked/${ORT}/bin/napi-v6/linux/x64/onnxruntime_binding.node`,
    ]);
    expect(report.bytes.model).toBe('the model'.length);
    expect(report.bytes.resources).toBeGreaterThan(report.bytes.asar);
  });

  it("reports another platform's or CPU's binaries, by their headers whatever their names", async () => {
    const tree = await packTree({
      ...appFiles(),
      [`${ORT}/bin/napi-v6/darwin/arm64/onnxruntime_binding.node`]: machO(0x0100000c),
      [`${ORT}/bin/napi-v6/linux/arm64/libonnxruntime.so.1`]: elf(0xb7),
      [`${ORT}/bin/napi-v6/win32/x64/helper.txt`]: pe(0x8664),
    });
    const { problems } = verifyPackedTree(tree, expectations());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /darwin\/arm64\/onnxruntime_binding\.node: Mach-O binary for darwin-arm64, not linux-x64/,
        ),
        expect.stringMatching(/linux\/arm64\/libonnxruntime\.so\.1: ELF binary for linux-arm64/),
        expect.stringMatching(/win32\/x64\/helper\.txt: PE binary for win32-x64/),
        expect.stringMatching(
          /onnxruntime-node binaries packed for \[darwin\/arm64, linux\/arm64, linux\/x64, win32\/x64\]/,
        ),
      ]),
    );
  });

  it('reports a native binary left inside app.asar, where it cannot load', async () => {
    const tree = await packTree({ ...appFiles(), 'node_modules/onnxruntime-common/native.node': elf(0x3e) });
    expect(verifyPackedTree(tree, expectations()).problems).toContain(
      'native binary inside app.asar (cannot load from there): node_modules/onnxruntime-common/native.node',
    );
  });

  it('reports missing app code, source maps, stray project files and packages nothing needs', async () => {
    const files = appFiles();
    delete files['dist/main/preload.cjs'];
    delete files['dist/renderer/assets/index.css'];
    const tree = await packTree({
      ...files,
      'dist/main/main.js.map': '{}',
      'datasets/page.png': 'x',
      'node_modules/vitest/package.json': JSON.stringify({ name: 'vitest' }),
    });
    const { problems } = verifyPackedTree(tree, expectations());
    expect(problems).toEqual(
      expect.arrayContaining([
        'app.asar lacks dist/main/preload.cjs',
        'dist/renderer/index.html references dist/renderer/assets/index.css, which is not packed',
        'source map packed: dist/main/main.js.map',
        'app.asar holds datasets, which is not part of the app',
        'node_modules/vitest is packed but no production dependency needs it',
      ]),
    );
  });

  it('reports a missing production dependency and a package that is not unpacked', async () => {
    const files = appFiles();
    delete files['node_modules/onnxruntime-common/package.json'];
    const tree = await packTree({
      ...files,
      'package.json': JSON.stringify({
        name: 'app',
        main: 'dist/main/main.js',
        dependencies: { 'onnxruntime-node': '1' },
      }),
    });
    const { problems } = verifyPackedTree(tree, {
      ...expectations(),
      unpackedPackages: ['onnxruntime-node', 'sharp'],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'dependency onnxruntime-common of node_modules/onnxruntime-node is not in app.asar',
        'node_modules/sharp is not packed',
      ]),
    );
  });

  it('reports a model that differs from the source, a missing OCR model and missing licence files', async () => {
    const tree = await packTree(appFiles(), { 'resources/models/model.onnx': 'another model' });
    await rm(path.join(tree, 'resources/licenses/AGPL-3.0.txt'));
    await rm(path.join(tree, 'resources/models/tessdata'), { recursive: true });
    expect(verifyPackedTree(tree, expectations()).problems).toEqual([
      `the packed model differs from ${model}`,
      'no OCR model at resources/models/tessdata/eng.traineddata.gz',
      'no resources/licenses/AGPL-3.0.txt',
    ]);
  });
});
