import sharp, { type Metadata } from 'sharp';
import { describe, expect, it } from 'vitest';
import { plainRgbSize } from '../../src-core/image-header.js';

/** What libvips itself says: the image decodes to plain 8-bit sRGB with nothing to normalise. */
const libvipsPlain = (m: Metadata): boolean =>
  m.channels === 3 &&
  !m.hasAlpha &&
  m.space === 'srgb' &&
  m.depth === 'uchar' &&
  !m.icc &&
  (m.orientation ?? 1) === 1;

/** The file with its EXIF orientation entry (IFD0 tag 0x0112, SHORT, count 1) set from 1 to 6, both byte orders. */
function turnedByExif(file: Buffer): Buffer {
  const out = Buffer.from(file);
  for (const [entry, value] of [
    ['1201030001000000', 8],
    ['0112000300000001', 9],
  ] as const) {
    const at = out.indexOf(Buffer.from(entry, 'hex'));
    if (at >= 0 && out[at + value] === 1) {
      out[at + value] = 6;
      return out;
    }
  }
  throw new Error('no EXIF orientation entry to turn');
}

const base = () =>
  sharp({ create: { width: 37, height: 23, channels: 3, background: '#3a7f20' } }).removeAlpha();

const exifJpeg = () =>
  base()
    .withExif({ IFD0: { Copyright: 'test' } })
    .jpeg()
    .toBuffer();

/** One file per case that matters, in both formats where the format allows it. */
const variants: [string, 'png' | 'jpeg', () => Promise<Buffer>][] = [
  ['plain PNG', 'png', () => base().png().toBuffer()],
  ['interlaced PNG', 'png', () => base().png({ progressive: true }).toBuffer()],
  ['grey PNG', 'png', () => base().toColourspace('b-w').png().toBuffer()],
  ['16-bit PNG', 'png', () => base().toColourspace('rgb16').png().toBuffer()],
  ['PNG with alpha', 'png', () => base().ensureAlpha().png().toBuffer()],
  ['paletted PNG', 'png', () => base().png({ palette: true }).toBuffer()],
  ['PNG with an ICC profile', 'png', () => base().withIccProfile('p3').png().toBuffer()],
  ['PNG turned by EXIF', 'png', () => base().withMetadata({ orientation: 6 }).png().toBuffer()],
  ['plain JPEG', 'jpeg', () => base().jpeg().toBuffer()],
  ['progressive JPEG', 'jpeg', () => base().jpeg({ progressive: true }).toBuffer()],
  ['JPEG with EXIF, upright', 'jpeg', () => exifJpeg()],
  ['JPEG turned by EXIF', 'jpeg', async () => turnedByExif(await exifJpeg())],
  ['JPEG with an ICC profile', 'jpeg', () => base().withIccProfile('p3').jpeg().toBuffer()],
  ['grey JPEG', 'jpeg', () => base().toColourspace('b-w').jpeg().toBuffer()],
  ['CMYK JPEG', 'jpeg', () => base().toColourspace('cmyk').jpeg().toBuffer()],
];

describe('plainRgbSize', () => {
  it.each(variants)('%s: never plain where libvips would normalise it', async (_, type, make) => {
    const file = await make();
    const meta = await sharp(file).metadata();
    const size = plainRgbSize(file, type);
    if (size) expect(size).toEqual({ width: meta.width, height: meta.height });
    if (!libvipsPlain(meta)) expect(size).toBeNull();
  });

  it('knows the plain cases from their headers (a paletted PNG it leaves to libvips)', async () => {
    const found = [];
    for (const [name, type, make] of variants) if (plainRgbSize(await make(), type)) found.push(name);
    expect(found).toEqual([
      'plain PNG',
      'interlaced PNG',
      'plain JPEG',
      'progressive JPEG',
      'JPEG with EXIF, upright',
    ]);
  });

  it('reads the EXIF orientation as libvips does', async () => {
    const turned = turnedByExif(await exifJpeg());
    expect((await sharp(turned).metadata()).orientation).toBe(6);
    expect(plainRgbSize(turned, 'jpeg')).toBeNull();
  });

  it('answers null for truncated or foreign bytes rather than guessing', async () => {
    const png = await base().png().toBuffer();
    const jpeg = await base().jpeg().toBuffer();
    expect(plainRgbSize(png.subarray(0, 40), 'png')).toBeNull(); // no image data reached
    expect(plainRgbSize(jpeg.subarray(0, 30), 'jpeg')).toBeNull(); // no start of scan
    expect(plainRgbSize(new Uint8Array(100), 'png')).toBeNull();
    expect(plainRgbSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 1]), 'jpeg')).toBeNull();
  });
});
