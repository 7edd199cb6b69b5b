// npm run pack:check — the installers' configuration and the packed Linux app, checked offline:
//   1. electron-builder.yml against electron-builder's schema (a wrong key stops everything, named);
//   2. the app build (npm run build:app); the icons, generated from build/icon.svg and resolved as
//      each installer target resolves them;
//   3. electron-builder `--linux dir` with a stand-in Electron (electronDist) and electronVersion set;
//   4. the packed tree: app.asar holds main, preload, pool worker and renderer and only production
//      dependencies; native modules unpacked and for this platform and CPU only; the model beside it;
//      the licence files; the deb/rpm dependencies, maintainer, file associations and entitlements;
//   5. the packed core, run by plain Node from the packed tree, detects the fixture pages' boxes;
//   6. the packed tree's size.
// Options: --config FILE (default electron-builder.yml), --no-build (reuse dist/), --out DIR.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BuilderConfigError, loadBuilderConfig } from './builder-config.js';
import { makeElectronStandIn } from './electron-stand-in.js';
// The packer, sharp and the core load only once the configuration is known to be valid, so that a
// wrong key fails in seconds.
const lazy = {
  // Named exports: the CommonJS module has no `default` once tsx turns import() into require().
  builder: () => import('electron-builder'),
  icons: () => import('./make-icons.js'),
  iconCheck: () => import('./icon-check.js'),
  smoke: () => import('./smoke-detect.js'),
  verify: () => import('./verify-tree.js'),
  installer: () => import('./installer-config.js'),
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODEL = path.join(root, 'models/checkbox-detector.onnx');
const FIXTURES = path.join(root, 'tests/fixtures');
const MiB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

function step(title: string): void {
  console.log(`\n== ${title}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'electron-builder.yml' },
      build: { type: 'boolean', default: true },
      out: { type: 'string', default: 'release/pack-check' },
    },
    allowNegative: true,
  });
  if (process.platform !== 'linux') {
    console.error(
      'pack:check packs the Linux app tree; on macOS and Windows build the installers with npm run dist.',
    );
    return 1;
  }
  if (!existsSync(MODEL)) {
    console.error(
      `pack:check: ${path.relative(root, MODEL)} is missing; the installers ship it (CHECKBOX_MODEL only redirects the app at run time).`,
    );
    return 1;
  }
  const configFile = path.resolve(root, values.config);
  const outDir = path.resolve(root, values.out);
  const electronVersion = (
    JSON.parse(await readFile(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  // The publisher's settings (docs/installers.md), given stand-ins here when unset: nothing is published.
  process.env.CHECKBOX_UPDATE_URL ??= 'https://updates.example.com/checkbox-detector';
  process.env.CHECKBOX_MAINTAINER ??= 'Checkbox Detector pack check <pack-check@example.com>';
  const electronDist = await mkdtemp(path.join(os.tmpdir(), 'cbd-electron-'));
  // What differs from `npm run dist`: a stand-in Electron, whose binary has no fuses to flip, and the output folder.
  const overrides = { electronDist, electronVersion, electronFuses: null, directories: { output: outDir } };

  try {
    step(`configuration: ${path.relative(root, configFile)}`);
    const config = await loadBuilderConfig(root, configFile, overrides);
    console.log(`valid for electron-builder (${config.appId}, "${config.productName}")`);

    if (values.build) {
      step('app build: npm run build:app');
      execFileSync('npm', ['run', '--silent', 'build:app'], { cwd: root, stdio: 'inherit' });
    }
    step('icons: from build/icon.svg, as the installers resolve them');
    const { iconPaths, makeIcons } = await lazy.icons();
    await makeIcons(path.join(root, 'build/icon.svg'), iconPaths(path.join(root, 'build')));
    const icons = await (await lazy.iconCheck()).installerIcons(config, root);
    for (const icon of icons.icons) console.log(`${icon.key}: ${icon.files.join(', ')}`);

    step(`pack: electron-builder --linux dir --${process.arch} (Electron ${electronVersion} stand-in)`);
    await makeElectronStandIn(electronDist, electronVersion);
    await rm(outDir, { recursive: true, force: true });
    const builder = await lazy.builder();
    await builder.build({
      projectDir: root,
      targets: builder.Platform.LINUX.createTarget(['dir'], builder.archFromString(process.arch)),
      config: { ...overrides, extends: configFile },
      publish: 'never',
    });
    const appOutDir = path.join(
      outDir,
      process.arch === 'x64' ? 'linux-unpacked' : `linux-${process.arch}-unpacked`,
    );

    step(`packed tree: ${path.relative(root, appOutDir)}`);
    const unpackedPackages = (config.asarUnpack ? [config.asarUnpack].flat() : []).map((p) =>
      p.replace(/^node_modules\//, '').replace(/\/\*\*$/, ''),
    );
    const { verifyPackedTree } = await lazy.verify();
    const tree = verifyPackedTree(appOutDir, {
      platform: 'linux',
      arch: process.arch,
      executableName: config.linux?.executableName ?? String(config.productName),
      modelSource: MODEL,
      unpackedPackages,
    });
    console.log(
      `app.asar: ${tree.asarEntries.length} files, ${tree.asarEntries.filter((e) => e.unpacked).length} of them unpacked`,
    );
    for (const b of tree.binaries)
      console.log(`native: ${b.path} (${b.kind.format} ${b.kind.platform}-${b.kind.arch})`);

    step('installer settings: deb/rpm dependencies, maintainer, file associations, entitlements');
    const installerProblems = (await lazy.installer()).installerConfigProblems(config, root);
    console.log(
      installerProblems.length ? `${installerProblems.length} problem(s), listed below` : 'as required',
    );

    step('packed core, plain Node, bundled model');
    const truth = JSON.parse(await readFile(path.join(FIXTURES, 'truth.json'), 'utf8')) as {
      pdfDpi: number;
      files: Record<
        string,
        Array<{ boxes: Array<{ class: string; box: [number, number, number, number] }> }>
      >;
    };
    const { smokeDetect } = await lazy.smoke();
    const smoke = await smokeDetect({
      appOutDir,
      modelSource: MODEL,
      dpi: truth.pdfDpi,
      fixtures: ['page.png', 'form-3p.pdf'].map((name) => ({
        file: path.join(FIXTURES, name),
        truth: truth.files[name],
      })),
      nativePackages: ['onnxruntime-node', 'sharp', '@napi-rs/canvas'],
    });
    for (const line of smoke.lines) console.log(line);

    step('size');
    const { bytes } = tree;
    console.log(
      `packed Linux tree (${process.arch}, this platform's binaries only): ${MiB(bytes.resources)} in resources/`,
    );
    console.log(
      `  app.asar ${MiB(bytes.asar)}, app.asar.unpacked ${MiB(bytes.unpacked)}, model ${MiB(bytes.model)}`,
    );
    console.log(`  plus Electron ${electronVersion}'s own runtime files, which the stand-in leaves out`);

    const problems = [...icons.problems, ...tree.problems, ...installerProblems, ...smoke.problems];
    if (problems.length) {
      step(`FAILED: ${problems.length} problem${problems.length > 1 ? 's' : ''}`);
      for (const p of problems) console.error(`- ${p}`);
      return 1;
    }
    step('pack:check passed');
    return 0;
  } catch (err) {
    if (err instanceof BuilderConfigError) {
      console.error(`\npack:check FAILED: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await rm(electronDist, { recursive: true, force: true });
  }
}

// Exit explicitly: electron-builder and onnxruntime may leave handles open.
process.exit(await main());
