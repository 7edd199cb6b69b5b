// Checks a packed app tree (electron-builder's <platform>-unpacked folder) without running Electron:
// what app.asar holds, what is unpacked beside it, which native binaries ship, and the model.
import { getRawHeader } from '@electron/asar';
import { createHash } from 'node:crypto';
import { existsSync, openSync, readFileSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { LICENCE_FILES } from '../../src-main/licences.js';
import { publishedFeedUrl } from '../../src-main/services/update-check.js';
import { HEADER_BYTES, binaryKind, type BinaryKind } from './binary-kind.js';

export interface TreeExpectations {
  platform: NodeJS.Platform;
  arch: string;
  executableName: string;
  /** The model file that must ship, byte for byte, at resources/models/<same name>. */
  modelSource: string;
  /** Packages that must sit in app.asar.unpacked as a whole (they load shared libraries). */
  unpackedPackages: string[];
}

export interface AsarEntry {
  path: string; // relative, forward slashes
  size: number;
  offset: number;
  unpacked: boolean;
}

export interface ShippedBinary {
  path: string; // relative to the tree
  kind: BinaryKind;
}

export interface TreeReport {
  problems: string[];
  asarEntries: AsarEntry[];
  binaries: ShippedBinary[];
  bytes: { tree: number; resources: number; asar: number; unpacked: number; model: number };
}

/** Where the app's code lives inside app.asar; anything else at its root is a packaging leak. */
const ASAR_ROOT = new Set(['package.json', 'dist', 'node_modules']);

type HeaderNode = {
  files?: Record<string, HeaderNode>;
  size?: number;
  offset?: string;
  unpacked?: boolean;
  link?: string;
};

export function asarEntries(archive: string): { entries: AsarEntry[]; dataStart: number } {
  const { header, headerSize } = getRawHeader(archive) as { header: HeaderNode; headerSize: number };
  const entries: AsarEntry[] = [];
  const walk = (node: HeaderNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const rel = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, rel);
      else if (child.link === undefined) {
        entries.push({
          path: rel,
          size: child.size ?? 0,
          offset: Number(child.offset ?? 0),
          unpacked: child.unpacked === true,
        });
      }
    }
  };
  walk(header, '');
  return { entries, dataStart: 8 + headerSize };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((rel) => rel.split(path.sep).join('/'))
    .filter((rel) => statSync(path.join(dir, rel)).isFile());
}

function bytesUnder(dir: string): number {
  return filesUnder(dir).reduce((n, rel) => n + statSync(path.join(dir, rel)).size, 0);
}

function head(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, HEADER_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Package roots inside app.asar: node_modules/<name> or node_modules/@scope/<name>, nested too. */
function packageDirs(entries: AsarEntry[]): Set<string> {
  const dirs = new Set<string>();
  for (const e of entries) {
    const m = /^(.*(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/.exec(e.path);
    if (m) dirs.add(m[1]!);
  }
  return dirs;
}

/** Node's lookup of `name` from package dir `from`: its own node_modules, then each parent's. */
function resolvePackage(name: string, from: string, dirs: Set<string>): string | undefined {
  for (let dir = from; ;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (dirs.has(candidate)) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

interface Manifest {
  main?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Production dependencies missing from app.asar, and packages in it that nothing depends on. */
function dependencyProblems(entries: AsarEntry[], read: (rel: string) => Buffer): string[] {
  const dirs = packageDirs(entries);
  const problems: string[] = [];
  const reached = new Set<string>();
  const queue: string[] = [''];
  while (queue.length) {
    const dir = queue.shift()!;
    const pkg = manifest(read(dir ? `${dir}/package.json` : 'package.json'));
    const deps = [
      ...Object.keys(pkg.dependencies ?? {}).map((n) => [n, false] as const),
      ...Object.keys(pkg.optionalDependencies ?? {}).map((n) => [n, true] as const),
    ];
    for (const [name, optional] of deps) {
      const found = resolvePackage(name, dir, dirs);
      if (!found) {
        if (!optional) problems.push(`dependency ${name} of ${dir || 'the app'} is not in app.asar`);
      } else if (!reached.has(found)) {
        reached.add(found);
        queue.push(found);
      }
    }
  }
  for (const dir of dirs)
    if (!reached.has(dir)) problems.push(`${dir} is packed but no production dependency needs it`);
  return problems;
}

function rendererProblems(asarPaths: Set<string>, read: (rel: string) => Buffer): string[] {
  const index = 'dist/renderer/index.html';
  if (!asarPaths.has(index)) return [`app.asar lacks the renderer (${index})`];
  const html = read(index).toString('utf8');
  const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `dist/renderer/${m[1]!}`);
  if (!refs.length) return [`${index} references no local script or style`];
  return refs.filter((r) => !asarPaths.has(r)).map((r) => `${index} references ${r}, which is not packed`);
}

export function verifyPackedTree(appOutDir: string, expect: TreeExpectations): TreeReport {
  const problems: string[] = [];
  const resources = path.join(appOutDir, 'resources');
  const archive = path.join(resources, 'app.asar');
  const unpackedDir = `${archive}.unpacked`;
  if (!existsSync(path.join(appOutDir, expect.executableName)))
    problems.push(`no executable ${expect.executableName}`);
  if (!existsSync(archive)) {
    return {
      problems: [...problems, 'no resources/app.asar'],
      asarEntries: [],
      binaries: [],
      bytes: sizes(),
    };
  }

  const { entries, dataStart } = asarEntries(archive);
  const data = readFileSync(archive);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const read = (rel: string): Buffer => {
    const e = byPath.get(rel);
    if (!e) throw new Error(`${rel} is not in app.asar`);
    return e.unpacked
      ? readFileSync(path.join(unpackedDir, rel))
      : data.subarray(dataStart + e.offset, dataStart + e.offset + e.size);
  };
  const paths = new Set(byPath.keys());

  // The app's own code: package.json's main, the preload and pool worker beside it, the renderer.
  for (const top of new Set(entries.map((e) => e.path.split('/')[0]!))) {
    if (!ASAR_ROOT.has(top)) problems.push(`app.asar holds ${top}, which is not part of the app`);
  }
  const main = paths.has('package.json') ? manifest(read('package.json')).main : undefined;
  if (!main) problems.push('app.asar has no package.json with a "main"');
  else {
    const mainPath = path.posix.normalize(main);
    for (const rel of [
      mainPath,
      path.posix.join(path.posix.dirname(mainPath), 'preload.cjs'),
      path.posix.join(path.posix.dirname(mainPath), 'pool-worker.js'),
    ]) {
      if (!paths.has(rel)) problems.push(`app.asar lacks ${rel}`);
    }
  }
  problems.push(...rendererProblems(paths, read));
  for (const e of entries) if (e.path.endsWith('.map')) problems.push(`source map packed: ${e.path}`);
  problems.push(...dependencyProblems(entries, read));

  // Unpacked files: each one the header announces is on disk with its size, and nothing else is there.
  const onDisk = new Set(filesUnder(unpackedDir));
  for (const e of entries.filter((x) => x.unpacked)) {
    if (!onDisk.has(e.path)) problems.push(`${e.path} is marked unpacked but missing from app.asar.unpacked`);
    else if (statSync(path.join(unpackedDir, e.path)).size !== e.size)
      problems.push(`${e.path} differs from its asar entry`);
  }
  for (const rel of onDisk)
    if (!byPath.get(rel)?.unpacked) problems.push(`app.asar.unpacked/${rel} is not in the asar header`);
  for (const pkg of expect.unpackedPackages) {
    const files = entries.filter((e) => e.path.startsWith(`node_modules/${pkg}/`));
    if (!files.length) problems.push(`node_modules/${pkg} is not packed`);
    else if (files.some((e) => !e.unpacked)) problems.push(`node_modules/${pkg} is not entirely unpacked`);
  }

  // Native binaries, recognised by their headers wherever they are: all unpacked, all for the target.
  const binaries: ShippedBinary[] = [];
  for (const e of entries) {
    const kind = binaryKind(
      e.unpacked
        ? head(path.join(unpackedDir, e.path))
        : data.subarray(dataStart + e.offset, dataStart + e.offset + Math.min(e.size, HEADER_BYTES)),
    );
    if (!kind) continue;
    binaries.push({
      path: `${e.unpacked ? 'resources/app.asar.unpacked' : 'resources/app.asar'}/${e.path}`,
      kind,
    });
    if (!e.unpacked) problems.push(`native binary inside app.asar (cannot load from there): ${e.path}`);
  }
  for (const rel of filesUnder(resources).filter(
    (r) => r !== 'app.asar' && !r.startsWith('app.asar.unpacked/'),
  )) {
    const kind = binaryKind(head(path.join(resources, rel)));
    if (kind) binaries.push({ path: `resources/${rel}`, kind });
  }
  for (const b of binaries) {
    if (b.kind.platform !== expect.platform || (b.kind.arch !== null && b.kind.arch !== expect.arch)) {
      problems.push(
        `${b.path}: ${b.kind.format} binary for ${b.kind.platform}-${b.kind.arch ?? '?'}, not ${expect.platform}-${expect.arch}`,
      );
    }
  }
  const ortDirs = entries
    .map((e) => /^node_modules\/onnxruntime-node\/bin\/(napi-v\d+)\/([^/]+)\/([^/]+)\//.exec(e.path))
    .filter((m) => m !== null)
    .map((m) => `${m[2]}/${m[3]}`);
  const ortTargets = [...new Set(ortDirs)];
  if (ortTargets.join() !== `${expect.platform}/${expect.arch}`) {
    problems.push(
      `onnxruntime-node binaries packed for [${ortTargets.join(', ')}], expected only ${expect.platform}/${expect.arch}`,
    );
  }

  // The model, outside app.asar where the core looks for it, identical to the source; the licences.
  const model = path.join(resources, 'models', path.basename(expect.modelSource));
  if (!existsSync(model)) problems.push(`no model at resources/models/${path.basename(model)}`);
  else if (sha256(model) !== sha256(expect.modelSource))
    problems.push(`the packed model differs from ${expect.modelSource}`);
  // The OCR model beside it (src-core/text/ocr-language.ts).
  if (!existsSync(path.join(resources, 'models', 'tessdata', 'eng.traineddata.gz')))
    problems.push('no OCR model at resources/models/tessdata/eng.traineddata.gz');
  problems.push(...licenceProblems(path.join(resources, 'licenses')));
  // The update feed electron-builder wrote from `publish`: the one folder updates come from.
  const feed = publishedFeedUrl(path.join(resources, 'app-update.yml'));
  if (!feed?.startsWith('https://'))
    problems.push(`resources/app-update.yml names no https update feed (${feed})`);

  return { problems, asarEntries: entries, binaries, bytes: sizes() };

  function sizes() {
    const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
    return {
      tree: bytesUnder(appOutDir),
      resources: bytesUnder(resources),
      asar: size(archive),
      unpacked: bytesUnder(unpackedDir),
      model: size(path.join(resources, 'models', path.basename(expect.modelSource))),
    };
  }
}

function manifest(buf: Buffer): Manifest {
  return JSON.parse(buf.toString('utf8')) as Manifest;
}

/** The licence files Help > About opens: the model's AGPL text, and notices naming the shipped packages. */
export function licenceProblems(dir: string): string[] {
  const read = (f: string) =>
    existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : null;
  const missing = Object.values(LICENCE_FILES).filter((f) => read(f) === null);
  if (missing.length) return missing.map((f) => `no resources/licenses/${f}`);
  const problems: string[] = [];
  if (!read(LICENCE_FILES.model)!.includes('GNU AFFERO GENERAL PUBLIC LICENSE'))
    problems.push(`resources/licenses/${LICENCE_FILES.model} is not the AGPL-3.0 text`);
  const notices = read(LICENCE_FILES.thirdParty)!;
  for (const needed of ['AGPL-3.0', 'onnxruntime-node', 'pdfjs-dist', 'sharp'])
    if (!notices.includes(needed))
      problems.push(`resources/licenses/${LICENCE_FILES.thirdParty} does not name ${needed}`);
  return problems;
}
