import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import { plainRgbSize } from '../../src-core/image-header.js';

const raw = (image: Sharp) => image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });

/**
 * What libvips itself gives: decoded as it is, the file comes out as the same three-channel pixels as through
 * every normalising step the decoder would otherwise take (EXIF rotation, flattening, sRGB, no alpha).
 */
async function libvipsPlain(file: Buffer): Promise<boolean> {
  const straight = await raw(sharp(file));
  const normalised = await raw(
    sharp(file).autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha(),
  );
  return (
    straight.info.channels === 3 &&
    straight.info.width === normalised.info.width &&
    straight.info.height === normalised.info.height &&
    straight.data.equals(normalised.data)
  );
}

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

/** A 37 x 23 picture whose every pixel differs from its neighbours: a rotation or a colour change shows. */
const base = () =>
  sharp(Buffer.from(Array.from({ length: 37 * 23 * 3 }, (_, i) => (i * 7919) % 251)), {
    raw: { width: 37, height: 23, channels: 3 },
  });

const exifJpeg = () =>
  base()
    .withExif({ IFD0: { Copyright: 'test' } })
    .jpeg()
    .toBuffer();

/** A 1-bit grey PNG (a bilevel scan), which sharp does not write: every other pixel of each row black. */
function bilevelPng(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // depth 1, grey, deflate, no filter, no interlace
  const rowBytes = Math.ceil(width / 8);
  const rows = Buffer.alloc(height * (rowBytes + 1));
  for (let y = 0; y < height; y++)
    rows.fill(y % 2 ? 0xaa : 0x55, y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One file per case that matters, in both formats where the format allows it. */
const variants: [string, 'png' | 'jpeg', () => Promise<Buffer>][] = [
  ['plain PNG', 'png', () => base().png().toBuffer()],
  ['interlaced PNG', 'png', () => base().png({ progressive: true }).toBuffer()],
  ['grey PNG', 'png', () => base().toColourspace('b-w').png().toBuffer()],
  ['16-bit PNG', 'png', () => base().toColourspace('rgb16').png().toBuffer()],
  ['PNG with alpha', 'png', () => base().ensureAlpha().png().toBuffer()],
  ['paletted PNG', 'png', () => base().png({ palette: true }).toBuffer()],
  ['two-colour paletted PNG (1 bit)', 'png', () => base().png({ palette: true, colours: 2 }).toBuffer()],
  [
    'PNG with a transparent palette entry',
    'png',
    () => base().ensureAlpha(0.5).png({ palette: true }).toBuffer(),
  ],
  ['bilevel grey PNG (1 bit)', 'png', () => Promise.resolve(bilevelPng(37, 23))],
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
  it.each(variants)(
    '%s: plain only where libvips decodes it to the normalised pixels',
    async (_, type, make) => {
      const file = await make();
      const meta = await sharp(file).metadata();
      const size = plainRgbSize(file, type);
      if (size) expect(size).toEqual({ width: meta.width, height: meta.height });
      if (!(await libvipsPlain(file))) expect(size).toBeNull();
    },
  );

  it('knows the plain cases from their headers, grey and paletted ones included', async () => {
    const found = [];
    for (const [name, type, make] of variants) if (plainRgbSize(await make(), type)) found.push(name);
    expect(found).toEqual([
      'plain PNG',
      'interlaced PNG',
      'grey PNG',
      'paletted PNG',
      'two-colour paletted PNG (1 bit)',
      'bilevel grey PNG (1 bit)',
      'plain JPEG',
      'progressive JPEG',
      'JPEG with EXIF, upright',
      'grey JPEG',
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
