// A PDF full of JavaScript (tests/fixtures/scripted.pdf, scripts/fixtures/scripted-pdf.ts) renders and
// runs nothing; pdf.js is at a release past CVE-2026-16633 and its build compiles no code.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_PDF_MARKS } from '../../scripts/fixtures/scripted-pdf.js';
import { decodeImage } from '../../src-core/index.js';
import { fixture, REPO } from '../helpers/paths.js';

const FIXED_IN = '6.2.108';
const PDFJS_DIR = path.join(REPO, 'node_modules/pdfjs-dist');
const versionParts = (v: string): number[] => v.split('.').map(Number);
const atLeast = (v: string, min: string): boolean => {
  const [a, b] = [versionParts(v), versionParts(min)];
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  return true;
};
/** pdf.js answers with Maps: as text, to look for the scripts' marks. */
const listed = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
const json = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as never;

describe('pdf.js version', () => {
  it('is pinned to one release at or past the fix, and that release is installed', () => {
    const wanted = (json(path.join(REPO, 'package.json')).dependencies as Record<string, string>)[
      'pdfjs-dist'
    ]!;
    expect(wanted).toMatch(/^\d+\.\d+\.\d+$/);
    expect(atLeast(wanted, FIXED_IN)).toBe(true);
    const lock = json(path.join(REPO, 'package-lock.json')).packages as Record<string, { version: string }>;
    expect(lock['node_modules/pdfjs-dist']!.version).toBe(wanted);
    expect(json(path.join(PDFJS_DIR, 'package.json')).version).toBe(wanted);
  });

  it('compares versions numerically', () => {
    expect(atLeast('6.10.0', FIXED_IN)).toBe(true);
    expect(atLeast('6.2.107', FIXED_IN)).toBe(false);
    expect(atLeast('5.6.205', FIXED_IN)).toBe(false);
  });

  it('ships no code compiler in the build the core loads', () => {
    for (const file of ['pdf.mjs', 'pdf.worker.mjs']) {
      const source = readFileSync(path.join(PDFJS_DIR, 'legacy/build', file), 'utf8');
      expect(source, file).not.toMatch(/new Function\s*\(|\beval\s*\(/);
    }
  });
});

describe('a PDF carrying JavaScript', () => {
  const data = readFileSync(fixture('scripted.pdf'));
  const cwd = process.cwd();
  let workDir = '';
  beforeAll(() => {
    // The scripts would write their mark relative to the working folder.
    workDir = mkdtempSync(path.join(tmpdir(), 'scripted-pdf-'));
    process.chdir(workDir);
  });
  afterAll(() => process.chdir(cwd));

  it('holds scripts pdf.js sees: the fixture tests something', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = pdfjs.getDocument({ data: new Uint8Array(data), verbosity: 0 });
    const doc = await task.promise;
    try {
      const onDocument = listed(await doc.getJSActions());
      for (const where of ['open-action', 'document-level', 'will-close'])
        expect(onDocument).toContain(where);
      const page = await doc.getPage(1);
      expect(listed(await page.getJSActions())).toContain('page-open');
      expect(listed(await page.getAnnotations())).toContain('keystroke');
    } finally {
      await task.destroy();
    }
  });

  it('renders its page and runs none of them', async () => {
    const [page] = await decodeImage(data, { dpi: 72 });
    expect(page).toMatchObject({ width: 300, height: 200 });
    const px = (x: number, y: number) => page!.rgb[(y * page!.width + x) * 3]!;
    expect(px(80, 100)).toBeLessThan(40); // inside the black square (PDF y 60..140, flipped)
    expect(px(250, 20)).toBeGreaterThan(215); // blank paper
    expect((globalThis as Record<string, unknown>)[SCRIPTED_PDF_MARKS.global]).toBeUndefined();
    expect(existsSync(path.join(workDir, SCRIPTED_PDF_MARKS.file))).toBe(false);
    expect(existsSync(path.join(cwd, SCRIPTED_PDF_MARKS.file))).toBe(false);
  });
});
