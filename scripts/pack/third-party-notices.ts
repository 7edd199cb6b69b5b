// npm run licences: dist/licenses, shipped as resources/licenses by every installer (electron-builder.yml)
// and opened from Help > About: the app's MIT licence, NOTICE.txt and the model's AGPL-3.0 (build/licenses),
// and THIRD-PARTY-NOTICES.txt, generated from package-lock.json: every production package installed,
// with its version, licence and licence text.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LICENCE_FILES } from '../../src-main/licences.js';

interface LockPackage {
  version?: string;
  license?: string;
  dev?: boolean;
}

const LICENCE_TEXT = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** Production packages of the lockfile that are installed here (platform packages of other OSes are not). */
export function productionPackages(
  root: string,
): Array<{ name: string; version: string; license: string; dir: string }> {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  return Object.entries(lock.packages)
    .filter(([key, p]) => key.startsWith('node_modules/') && !p.dev && existsSync(path.join(root, key)))
    .map(([key, p]) => ({
      name: key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length),
      version: p.version ?? '',
      license: p.license ?? 'UNKNOWN',
      dir: path.join(root, key),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

export function thirdPartyNotices(root: string): string {
  const packages = productionPackages(root);
  const head = [
    'Checkbox Detector — third-party notices',
    '',
    'The bundled model resources/models/checkbox-detector.onnx is licensed under the GNU AGPL-3.0',
    `(${LICENCE_FILES.model} in this folder; see ${LICENCE_FILES.notice}). The application is MIT (${LICENCE_FILES.app}).`,
    "The OCR model resources/models/tessdata/eng.traineddata.gz is Tesseract's tessdata_fast English model,",
    'licensed under the Apache-2.0 (the Tesseract OCR project).',
    `It includes these ${packages.length} open-source packages (generated from package-lock.json):`,
    '',
    ...packages.map((p) => `  ${p.name} ${p.version} — ${p.license}`),
  ];
  const texts = packages.map((p) => {
    const file = readdirSync(p.dir).find((f) => LICENCE_TEXT.test(f));
    const text = file ? readFileSync(path.join(p.dir, file), 'utf8').trim() : `Licensed under ${p.license}.`;
    return [`${'='.repeat(78)}`, `${p.name} ${p.version} (${p.license})`, '', text].join('\n');
  });
  return [...head, '', ...texts, ''].join('\n');
}

export function writeLicences(root: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  copyFileSync(path.join(root, 'LICENSE'), path.join(outDir, LICENCE_FILES.app));
  for (const f of [LICENCE_FILES.notice, LICENCE_FILES.model]) {
    copyFileSync(path.join(root, 'build/licenses', f), path.join(outDir, f));
  }
  writeFileSync(path.join(outDir, LICENCE_FILES.thirdParty), thirdPartyNotices(root));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  writeLicences(root, path.join(root, 'dist/licenses'));
  console.log(`dist/licenses: ${productionPackages(root).length} third-party packages`);
}
