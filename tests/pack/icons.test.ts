// The icon set generated from build/icon.svg: every size present, and the ICO / ICNS containers
// readable entry by entry (parsed here independently of the writer, each entry decoded again).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/pack/builder-config.js';
import { ICNS_TYPES } from '../../scripts/pack/icon-containers.js';
import { installerIcons } from '../../scripts/pack/icon-check.js';
import { PNG_SIZES, iconPaths, makeIcons, type IconPaths } from '../../scripts/pack/make-icons.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dir: string;
let out: IconPaths;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cbd-icons-'));
  out = iconPaths(dir);
  await makeIcons(path.join(root, 'build/icon.svg'), out);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generated icons', () => {
  it('renders a square PNG for every size, with transparent corners', async () => {
    const names = (await readdir(out.pngDir)).sort();
    expect(names).toEqual(PNG_SIZES.map((s) => `${s}x${s}.png`).sort());
    for (const size of PNG_SIZES) {
      const img = sharp(await readFile(path.join(out.pngDir, `${size}x${size}.png`)));
      const meta = await img.metadata();
      expect([meta.width, meta.height, meta.channels]).toEqual([size, size, 4]);
      const { data } = await img.raw().toBuffer({ resolveWithObject: true });
      expect(data[3]).toBe(0); // top-left corner lies outside the rounded square
      expect(data[(Math.floor(size / 2) * size + Math.floor(size / 2)) * 4 + 3]).toBe(255);
    }
  });

  it('writes an ICO whose directory matches its entries: BMP below 256 px, PNG at 256', async () => {
    const ico = await readFile(out.ico);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    let end = 6 + 16 * count;
    for (let i = 0; i < count; i++) {
      const at = 6 + 16 * i;
      const size = ico.readUInt8(at) || 256;
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(offset).toBe(end); // entries are contiguous, in directory order
      end = offset + length;
      const data = ico.subarray(offset, offset + length);
      if (size === 256) {
        expect(data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
        expect((await sharp(data).metadata()).width).toBe(256);
      } else {
        expect(data.readUInt32LE(0)).toBe(40);
        expect([data.readInt32LE(4), data.readInt32LE(8), data.readUInt16LE(14)]).toEqual([
          size,
          size * 2,
          32,
        ]);
        expect(length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
      }
      sizes.push(size);
    }
    expect(end).toBe(ico.length);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('stores BMP rows bottom-up in BGRA, matching the PNG of the same size', async () => {
    const ico = await readFile(out.ico);
    const at = 6 + 16 * 2; // the 32 px entry
    expect(ico.readUInt8(at)).toBe(32);
    const bmp = ico.subarray(ico.readUInt32LE(at + 12) + 40);
    const png = await sharp(await readFile(path.join(out.pngDir, '32x32.png')))
      .raw()
      .toBuffer();
    for (const [x, y] of [
      [16, 16],
      [4, 28],
      [28, 4],
    ] as const) {
      const p = (y * 32 + x) * 4;
      const b = ((31 - y) * 32 + x) * 4;
      expect([bmp[b + 2], bmp[b + 1], bmp[b], bmp[b + 3]]).toEqual([
        png[p],
        png[p + 1],
        png[p + 2],
        png[p + 3],
      ]);
    }
  });

  it('writes an ICNS whose declared lengths add up and whose entries are PNGs of the declared size', async () => {
    const icns = await readFile(out.icns);
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: string[] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('ascii', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const png = icns.subarray(at + 8, at + length);
      const expected = ICNS_TYPES.find((t) => t.type === type);
      expect(expected, `unknown ICNS entry ${type}`).toBeDefined();
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', expected!.size, expected!.size]);
      found.push(type);
      at += length;
    }
    expect(found).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']));
  });
});

describe('installer icons', () => {
  // A project folder whose build resources are the icons generated above, and the real configuration.
  const project = () => ({ dir, config: loadBuilderConfig(root, path.join(root, 'electron-builder.yml')) });

  it('every installer target resolves its icon from the generated set, as electron-builder resolves it', async () => {
    const { config } = project();
    const { icons, problems } = await installerIcons(
      { ...(await config), directories: { buildResources: dir } },
      dir,
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(icons.map((i) => [i.key, i.files]))).toEqual({
      'linux.icon': PNG_SIZES.map((s) => `icons/${s}x${s}.png`),
      'win.icon': ['icon.ico'],
      'nsis.installerIcon': ['icon.ico'],
      'nsis.uninstallerIcon': ['icon.ico'],
      'mac.icon': ['icon.icns'],
    });
  });

  it('reports an icon that is missing, and one that is too small for the installer', async () => {
    const config = await project().config;
    const small = path.join(dir, 'small');
    await makeIcons(path.join(root, 'build/icon.svg'), iconPaths(small));
    await rm(path.join(small, 'icon.icns'));
    // A 128 px ICO: what electron-builder rejects for Windows.
    const ico = await readFile(path.join(small, 'icon.ico'));
    const last = 6 + 16 * (ico.readUInt16LE(4) - 1);
    ico.writeUInt8(128, last); // width
    ico.writeUInt8(128, last + 1); // height
    await writeFile(path.join(small, 'icon.ico'), ico);
    const { problems } = await installerIcons({ ...config, directories: { buildResources: small } }, small);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^win\.icon \(icon\.ico\) does not resolve to an icon: .*256/),
        expect.stringMatching(/^mac\.icon \(icon\.icns\) is in neither/),
      ]),
    );
  });
});
