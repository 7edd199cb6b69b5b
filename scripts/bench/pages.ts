// The benchmark's page set, the same files for every engine: the project's fixtures (multi-page TIFF and PDF
// pages written out as PNG so that Ultralytics can read them too), full-size pages rendered by the fixture
// generator, and the real-dev images when they are present (read where they are, never copied).
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../src-core/index.js';
import { renderFormPage } from '../fixtures/form-page.js';

export type PageOrigin = 'fixture' | 'generated' | 'real-dev';

export interface BenchPage {
  name: string;
  file: string;
  width: number;
  height: number;
  origin: PageOrigin;
}

export interface PageSetOptions {
  fixturesDir: string;
  /** Folder of real images (YOLO layout: <dir>/images); skipped when absent. */
  realDevDir?: string;
  /** How many full-size generated pages to render. */
  generated: number;
  /** Scratch folder for written pages (outside the repository). */
  workDir: string;
  /** Keep at most this many pages per origin (smoke runs). */
  limitPerOrigin?: number;
}

/** A US letter page scanned at 200 dpi. */
const FULL_PAGE = { width: 1700, height: 2200 };
/** Files both sharp and OpenCV read as they are. */
const DIRECT = /\.(png|jpe?g|webp|bmp)$/i;
const PAGED = /\.(tiff?|pdf)$/i;

async function sizeOf(file: string): Promise<{ width: number; height: number }> {
  const [page] = await decodeImage(await readFile(file));
  return { width: page!.width, height: page!.height };
}

async function fixturePages(dir: string, workDir: string): Promise<BenchPage[]> {
  const out: BenchPage[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const file = path.join(dir, name);
    if (DIRECT.test(name)) {
      out.push({ name, file, ...(await sizeOf(file)), origin: 'fixture' });
    } else if (PAGED.test(name)) {
      for (const page of await decodeImage(await readFile(file))) {
        const pageName = `${name}-p${page.page}.png`;
        const pageFile = path.join(workDir, pageName);
        const png = await sharp(page.rgb, { raw: { width: page.width, height: page.height, channels: 3 } })
          .png()
          .toBuffer();
        await writeFile(pageFile, png);
        out.push({
          name: pageName,
          file: pageFile,
          width: page.width,
          height: page.height,
          origin: 'fixture',
        });
      }
    }
  }
  return out;
}

async function generatedPages(count: number, workDir: string): Promise<BenchPage[]> {
  const out: BenchPage[] = [];
  for (let i = 0; i < count; i++) {
    const form = renderFormPage(9001 + i, FULL_PAGE.width, FULL_PAGE.height);
    const name = `generated-${i + 1}.jpg`;
    const file = path.join(workDir, name);
    const jpeg = await sharp(Buffer.from(form.svg))
      .flatten({ background: '#fff' })
      .jpeg({ quality: 85 })
      .toBuffer();
    await writeFile(file, jpeg);
    out.push({ name, file, ...FULL_PAGE, origin: 'generated' });
  }
  return out;
}

async function realDevPages(dir: string): Promise<BenchPage[]> {
  const images = path.join(dir, 'images');
  if (!existsSync(images)) return [];
  const out: BenchPage[] = [];
  for (const name of (await readdir(images)).sort()) {
    if (!DIRECT.test(name)) continue;
    const file = path.join(images, name);
    out.push({ name: `real-dev/${name}`, file, ...(await sizeOf(file)), origin: 'real-dev' });
  }
  return out;
}

export async function preparePages(opts: PageSetOptions): Promise<BenchPage[]> {
  const groups = [
    await fixturePages(opts.fixturesDir, opts.workDir),
    await generatedPages(opts.generated, opts.workDir),
    opts.realDevDir ? await realDevPages(opts.realDevDir) : [],
  ];
  return groups.flatMap((g) => (opts.limitPerOrigin === undefined ? g : g.slice(0, opts.limitPerOrigin)));
}
