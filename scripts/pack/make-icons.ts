// npm run icons — every app icon from the one source build/icon.svg:
//   build/icons/NxN.png  16..1024 (Linux icon set; electron-builder's naming)
//   build/icon.ico       Windows and the NSIS installer
//   build/icon.icns      macOS
// The outputs are generated, not committed (build/.gitignore): they cannot drift from the SVG, and
// `npm run dist` / `npm run pack:check` regenerate them in well under a second.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { encodeIcns, encodeIco, type PngImage } from './icon-containers.js';

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const ICO_BMP_SIZES = [16, 24, 32, 48, 64, 128] as const;
/** The SVG's own width: sharp's density 72 renders it 1:1. */
const SOURCE_SIZE = 1024;

export interface IconPaths {
  pngDir: string;
  ico: string;
  icns: string;
}

export function iconPaths(buildDir: string): IconPaths {
  return {
    pngDir: path.join(buildDir, 'icons'),
    ico: path.join(buildDir, 'icon.ico'),
    icns: path.join(buildDir, 'icon.icns'),
  };
}

/** Rasterise the vector at each size (crisper small icons than downscaling one big bitmap). */
async function render(svg: Buffer, size: number): Promise<Sharp> {
  return sharp(svg, { density: (72 * size) / SOURCE_SIZE })
    .resize(size, size, { fit: 'fill' })
    .ensureAlpha();
}

async function writeAtomic(file: string, data: Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export async function makeIcons(svgPath: string, out: IconPaths): Promise<void> {
  const svg = await readFile(svgPath);
  await mkdir(out.pngDir, { recursive: true });
  const pngs: PngImage[] = [];
  for (const size of PNG_SIZES) {
    const png = await (await render(svg, size)).png({ compressionLevel: 9 }).toBuffer();
    await writeAtomic(path.join(out.pngDir, `${size}x${size}.png`), png);
    pngs.push({ size, png });
  }
  const small = await Promise.all(
    ICO_BMP_SIZES.map(async (size) => ({ size, rgba: await (await render(svg, size)).raw().toBuffer() })),
  );
  await writeAtomic(
    out.ico,
    encodeIco(
      small,
      pngs.find((p) => p.size === 256)!,
    ),
  );
  await writeAtomic(out.icns, encodeIcns(pngs));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build');
  await makeIcons(path.join(buildDir, 'icon.svg'), iconPaths(buildDir));
  console.log(`icons written under ${path.relative(process.cwd(), buildDir) || '.'}`);
}
