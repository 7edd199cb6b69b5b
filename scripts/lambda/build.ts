// npm run lambda:build — the Lambda bundle folder dist/lambda/:
//   index.mjs            the handler and everything pure-JS it imports, bundled by esbuild
//   node_modules/        only the native/external packages, linux-x64 (glibc) binaries only
//   models/              the ONNX model
// It is built in a temporary folder and renamed into place, so a failed build never leaves half a bundle.
import { build } from 'esbuild';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTERNAL_PACKAGES } from './external-packages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'dist/lambda');
const tmpDir = `${outDir}.tmp-${process.pid}`;
const modelPath = process.env.CHECKBOX_MODEL ?? path.join(root, 'models/checkbox-detector.onnx');

const TARGET = { os: 'linux', cpu: 'x64', libc: 'glibc' };

/** Per-package files left out of the bundle: other platforms' binaries, sources, maps, docs. */
const PRUNE: Record<string, (rel: string) => boolean> = {
  'onnxruntime-node': (rel) =>
    /^(script|lib)(\/|$)/.test(rel) ||
    (rel.startsWith('bin/') && !/^bin\/napi-v\d+(\/linux(\/x64(\/.*)?)?)?$/.test(rel)),
  // OCR reads English from models/tessdata (src-core/text/ocr-language.ts): the package's LSTM-only integer model
  // is its fallback; the legacy+LSTM one is 11 MB.
  '@tesseract.js-data/eng': (rel) => /^4\.0\.0(\/|$)/.test(rel),
  'pdfjs-dist': (rel) =>
    /^(build|web|types|image_decoders)(\/|$)/.test(rel) ||
    /\.(min\.mjs|d\.mts)$/.test(rel) ||
    /sandbox/.test(rel),
};
const COMMON_PRUNE = (rel: string) =>
  /\.(map|d\.ts|d\.mts|md|markdown)$/i.test(rel) && !/^LICEN[CS]E/i.test(path.basename(rel));

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

function matchesTarget(pkg: PackageJson): boolean {
  const ok = (list: string[] | undefined, value: string) =>
    !list || (list.some((v) => !v.startsWith('!')) ? list.includes(value) : !list.includes(`!${value}`));
  return ok(pkg.os, TARGET.os) && ok(pkg.cpu, TARGET.cpu) && ok(pkg.libc, TARGET.libc);
}

/** onnxruntime-node's installer-only dependencies are never imported at run time. */
const SKIP_DEPS = new Set(['adm-zip', 'global-agent']);

/** Node's lookup: <dir>/node_modules/<name>, then each parent's. */
function findPackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** Copy a package and its runtime dependencies (optional ones only when they match linux-x64-glibc). */
function copyPackage(name: string, fromDir: string, dest: string, seen: Set<string>, optional = false): void {
  if (SKIP_DEPS.has(name)) return;
  const dir = findPackage(name, fromDir);
  if (!dir) {
    if (optional) return;
    throw new Error(`${name} is not installed (needed by the Lambda bundle); run npm install`);
  }
  if (seen.has(dir)) return;
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  if (!matchesTarget(pkg)) return;
  seen.add(dir);
  const prune = PRUNE[name];
  cpSync(dir, path.join(dest, 'node_modules', name), {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const rel = path.relative(dir, src).split(path.sep).join('/');
      if (rel === '') return true;
      if (rel === 'node_modules' || rel.startsWith('node_modules/')) return false; // nested deps are copied by name below
      return !COMMON_PRUNE(rel) && !prune?.(rel);
    },
  });
  for (const dep of Object.keys(pkg.dependencies ?? {})) copyPackage(dep, dir, dest, seen);
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) copyPackage(dep, dir, dest, seen, true);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

async function main(): Promise<void> {
  if (!existsSync(modelPath)) throw new Error(`model not found: ${modelPath}`);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });

  await build({
    entryPoints: [path.join(root, 'lambda/handler.ts')],
    outfile: path.join(tmpDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS code may call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);",
    },
    legalComments: 'linked',
    logLevel: 'warning',
  });

  const seen = new Set<string>();
  for (const name of EXTERNAL_PACKAGES) copyPackage(name, root, tmpDir, seen);

  mkdirSync(path.join(tmpDir, 'models'));
  cpSync(modelPath, path.join(tmpDir, 'models', 'checkbox-detector.onnx'));
  // The fast English OCR model (models/tessdata/README.md), found beside the detection model.
  cpSync(path.join(root, 'models/tessdata'), path.join(tmpDir, 'models', 'tessdata'), { recursive: true });
  writeFileSync(
    path.join(tmpDir, 'package.json'),
    JSON.stringify({ type: 'module', private: true }, null, 2) + '\n',
  );

  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmpDir, outDir);
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `dist/lambda: ${mb(folderBytes(outDir))} (node_modules ${mb(folderBytes(path.join(outDir, 'node_modules')))}, ` +
      `model ${mb(statSync(path.join(outDir, 'models/checkbox-detector.onnx')).size)}, index.mjs ${mb(statSync(path.join(outDir, 'index.mjs')).size)})`,
  );
  console.log(
    `packages: ${[...seen].map((d) => path.relative(path.join(root, 'node_modules'), d)).join(', ')}`,
  );
}

main().catch((err: unknown) => {
  rmSync(tmpDir, { recursive: true, force: true });
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
