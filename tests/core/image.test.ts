import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bmp24, bmp8Grey } from '../../scripts/fixtures/bmp-writer.js';
import { CheckboxError, decodeImage, sniffImageType, type DecodedPage } from '../../src-core/index.js';
import { emptyFile, hugePng, textFile, truncated } from '../helpers/bad-inputs.js';
import { fixture } from '../helpers/paths.js';
import { truth } from '../helpers/truth.js';

const read = (name: string): Buffer => readFileSync(fixture(name));
const px = (p: DecodedPage, x: number, y: number): number[] =>
  Array.from(p.rgb.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3));

/** The rejection of a promise, as a CheckboxError. */
async function failure(promise: Promise<unknown>): Promise<CheckboxError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CheckboxError);
  return err as CheckboxError;
}

/** A 40x20 RGB test card: red left half, white right half. */
async function card(): Promise<{ png: Buffer; raw: Buffer }> {
  const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ffffff' } })
    .composite([
      { input: { create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
    ])
    .removeAlpha()
    .png()
    .toBuffer();
  const raw = await sharp(png).raw().toBuffer();
  expect(raw.length).toBe(40 * 20 * 3);
  return { png, raw };
}

describe('sniffImageType', () => {
  it.each([
    ['page.png', 'png'],
    ['page.jpg', 'jpeg'],
    ['form-2p.tif', 'tiff'],
    ['page.webp', 'webp'],
    ['page.bmp', 'bmp'],
    ['form-3p.pdf', 'pdf'],
  ])('%s is %s by its bytes', (name, type) => {
    expect(sniffImageType(read(name))).toBe(type);
  });

  it('ignores names and finds a PDF header after leading junk', () => {
    expect(sniffImageType(textFile())).toBeNull();
    expect(sniffImageType(emptyFile())).toBeNull();
    expect(sniffImageType(Buffer.concat([Buffer.from('junk\n'), read('form-3p.pdf')]))).toBe('pdf');
  });
});

describe('decodeImage on the fixtures', () => {
  it.each(Object.keys(truth.files))('%s decodes every page at its known size', async (name) => {
    const pages = await decodeImage(read(name));
    const expected = truth.files[name]!;
    expect(pages.map((p) => [p.page, p.pages, p.width, p.height])).toEqual(
      expected.map((t) => [t.page, expected.length, t.width, t.height]),
    );
    for (const p of pages) expect(p.rgb.length).toBe(p.width * p.height * 3);
  });

  it('renders PDF pages at the chosen DPI and decodes only the pages asked for', async () => {
    const [p3] = await decodeImage(read('form-3p.pdf'), { dpi: truth.pdfDpi / 2, pages: [3] });
    const t3 = truth.files['form-3p.pdf']![2]!;
    expect([p3!.page, p3!.pages, p3!.width, p3!.height]).toEqual([3, 3, t3.width / 2, t3.height / 2]);
    const tiff = await decodeImage(read('form-2p.tif'), { pages: [2] });
    expect(tiff.map((p) => p.page)).toEqual([2]);
    expect((await failure(decodeImage(read('form-2p.tif'), { pages: [3] }))).code).toBe('invalid_argument');
  });
});

describe('decodeImage normalises to 8-bit sRGB', () => {
  it.each(['page.png', 'page.jpg', 'page.webp'])(
    'gives plain RGB %s the same bytes as the full normalising chain it skips',
    async (name) => {
      const [page] = await decodeImage(read(name));
      const full = await sharp(read(name))
        .autoOrient()
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .removeAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer();
      expect(page!.rgb.equals(full)).toBe(true);
    },
  );

  it('applies the EXIF orientation', async () => {
    const { png } = await card();
    // Stored turned a quarter left, with orientation 6 ("rotate 90 clockwise to view").
    const stored = await sharp(png).rotate(270).withMetadata({ orientation: 6 }).png().toBuffer();
    expect((await sharp(stored).metadata()).width).toBe(20);
    const [page] = await decodeImage(stored);
    expect([page!.width, page!.height]).toEqual([40, 20]);
    expect(px(page!, 2, 10)).toEqual([255, 0, 0]);
    expect(px(page!, 37, 10)).toEqual([255, 255, 255]);
  });

  it('expands greyscale to three channels', async () => {
    const { png } = await card();
    const grey = await sharp(png).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const [page] = await decodeImage(grey);
    const [r, g, b] = px(page!, 2, 10);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(px(page!, 37, 10)).toEqual([255, 255, 255]);
  });

  it('reduces 16-bit to 8-bit', async () => {
    const { png, raw } = await card();
    const deep = await sharp(png).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const [page] = await decodeImage(deep);
    expect(page!.rgb.length).toBe(raw.length);
    expect(page!.rgb.every((v, i) => Math.abs(v - raw[i]!) <= 1)).toBe(true);
  });

  it('converts CMYK JPEG to RGB', async () => {
    const { png } = await card();
    const cmyk = await sharp(png).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const [page] = await decodeImage(cmyk);
    const [r, g, b] = px(page!, 5, 10);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(Math.min(...px(page!, 35, 10))).toBeGreaterThan(240);
  });

  it('flattens transparency onto white', async () => {
    // Transparent black everywhere, one opaque black pixel column.
    const rgba = Buffer.alloc(10 * 4 * 4);
    for (let y = 0; y < 4; y++) rgba[(y * 10 + 3) * 4 + 3] = 255;
    const png = await sharp(rgba, { raw: { width: 10, height: 4, channels: 4 } })
      .png()
      .toBuffer();
    const [page] = await decodeImage(png);
    expect(px(page!, 0, 0)).toEqual([255, 255, 255]);
    expect(px(page!, 3, 2)).toEqual([0, 0, 0]);
  });
});

describe('BMP decoding', () => {
  it('reads 24-bit and 8-bit paletted files exactly', async () => {
    const { raw } = await card();
    const [p24] = await decodeImage(bmp24(raw, 40, 20));
    expect(Buffer.compare(p24!.rgb, raw)).toBe(0);
    const [p8] = await decodeImage(bmp8Grey(raw, 40, 20));
    expect(px(p8!, 2, 10)).toEqual([76, 76, 76]); // luma of pure red
    expect(px(p8!, 30, 10)).toEqual([255, 255, 255]);
  });

  it('reads a 1-bit BMP (a bilevel scan) through its two-colour palette', async () => {
    // 40-byte header, palette black/white, rows of 10 pixels padded to 4 bytes, bottom row first.
    const w = 10;
    const h = 2;
    const buf = Buffer.alloc(14 + 40 + 8 + h * 4);
    buf.write('BM', 0, 'latin1');
    buf.writeUInt32LE(buf.length, 2);
    buf.writeUInt32LE(14 + 40 + 8, 10);
    buf.writeUInt32LE(40, 14);
    buf.writeInt32LE(w, 18);
    buf.writeInt32LE(h, 22);
    buf.writeUInt16LE(1, 26);
    buf.writeUInt16LE(1, 28);
    buf.writeUInt32LE(2, 46); // colours used
    buf.set([0, 0, 0, 0, 255, 255, 255, 0], 54);
    buf.set([0b10000000, 0b01000000], 62); // bottom row: x = 0 white, x = 9 white
    buf.set([0b01010101, 0b01000000], 66); // top row: odd x white
    const [page] = await decodeImage(buf);
    const row = (y: number) => Array.from({ length: w }, (_, x) => px(page!, x, y)[0]);
    expect(row(0)).toEqual([0, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
    expect(row(1)).toEqual([255, 0, 0, 0, 0, 0, 0, 0, 0, 255]);
  });

  it('reads a top-down 32-bit BMP with bit masks and alpha', async () => {
    // BITMAPV4 header (108 bytes), BI_BITFIELDS, masks R=0x00ff0000 G=0x0000ff00 B=0x000000ff A=0xff000000.
    const w = 2;
    const h = 2;
    const buf = Buffer.alloc(14 + 108 + w * h * 4);
    buf.write('BM', 0, 'latin1');
    buf.writeUInt32LE(buf.length, 2);
    buf.writeUInt32LE(14 + 108, 10);
    buf.writeUInt32LE(108, 14);
    buf.writeInt32LE(w, 18);
    buf.writeInt32LE(-h, 22); // negative height: first row is the top
    buf.writeUInt16LE(1, 26);
    buf.writeUInt16LE(32, 28);
    buf.writeUInt32LE(3, 30);
    [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000].forEach((m, i) =>
      buf.writeUInt32LE(m >>> 0, 54 + i * 4),
    );
    const pixels = [0xffff0000, 0xff00ff00, 0xff0000ff, 0x00000000]; // red, green / blue, transparent
    pixels.forEach((p, i) => buf.writeUInt32LE(p >>> 0, 14 + 108 + i * 4));
    const [page] = await decodeImage(buf);
    expect([px(page!, 0, 0), px(page!, 1, 0), px(page!, 0, 1), px(page!, 1, 1)]).toEqual([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
    ]);
  });

  it('reads an RLE8-compressed BMP', async () => {
    // 40-byte header, compression 1 (RLE8), palette black/white; runs of (count, index), 0 0 ends a row.
    const runs = [4, 1, 0, 0, 1, 0, 3, 1, 0, 0, 0, 1]; // bottom row: 4 white; top row: 1 black, 3 white; end
    const buf = Buffer.alloc(14 + 40 + 8 + runs.length);
    buf.write('BM', 0, 'latin1');
    buf.writeUInt32LE(buf.length, 2);
    buf.writeUInt32LE(14 + 40 + 8, 10);
    buf.writeUInt32LE(40, 14);
    buf.writeInt32LE(4, 18);
    buf.writeInt32LE(2, 22);
    buf.writeUInt16LE(1, 26);
    buf.writeUInt16LE(8, 28);
    buf.writeUInt32LE(1, 30);
    buf.writeUInt32LE(runs.length, 34);
    buf.writeUInt32LE(2, 46);
    buf.set([0, 0, 0, 0, 255, 255, 255, 0], 54);
    buf.set(runs, 62);
    const [page] = await decodeImage(buf);
    const row = (y: number) => Array.from({ length: 4 }, (_, x) => px(page!, x, y)[0]);
    expect([row(0), row(1)]).toEqual([
      [0, 255, 255, 255],
      [255, 255, 255, 255],
    ]);
  });

  it('rejects a truncated file as corrupt_image', async () => {
    const { raw } = await card();
    const cut = bmp24(raw, 40, 20).subarray(0, 500);
    expect((await failure(decodeImage(cut))).code).toBe('corrupt_image');
  });
});

describe('bad inputs', () => {
  it('an empty file is empty_file (400)', async () => {
    const err = await failure(decodeImage(emptyFile()));
    expect([err.code, err.httpStatus]).toEqual(['empty_file', 400]);
  });

  it('a text file named .png is unsupported_type (415)', async () => {
    const err = await failure(decodeImage(textFile()));
    expect([err.code, err.httpStatus]).toEqual(['unsupported_type', 415]);
  });

  it.each(['page.png', 'page.jpg', 'page.webp', 'form-2p.tif'])(
    'a truncated %s is corrupt_image (422)',
    async (name) => {
      const err = await failure(decodeImage(truncated(name)));
      expect([err.code, err.httpStatus]).toEqual(['corrupt_image', 422]);
    },
  );

  it('a PDF with a header and nothing else is corrupt_image', async () => {
    expect((await failure(decodeImage(Buffer.from('%PDF-1.7\nnothing here\n')))).code).toBe('corrupt_image');
  });

  it('a 30000x30000 PNG is image_too_large (413) without being decoded', async () => {
    const err = await failure(decodeImage(hugePng()));
    expect([err.code, err.httpStatus]).toEqual(['image_too_large', 413]);
    expect(err.message).toMatch(/limit/);
  });

  it('the pixel limit holds for every format, PDF pages included', async () => {
    for (const name of ['page.png', 'page.jpg', 'page.bmp', 'form-2p.tif', 'page.webp', 'form-3p.pdf']) {
      expect((await failure(decodeImage(read(name), { maxPixels: 100_000 }))).code, name).toBe(
        'image_too_large',
      );
    }
  });
});
