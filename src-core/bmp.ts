// A small BMP decoder (sharp/libvips cannot read BMP): uncompressed 1/4/8-bit paletted, 16/24/32-bit,
// BI_BITFIELDS masks; alpha flattened on white. RLE-compressed BMPs are rejected with a clear error.
import { CheckboxError } from './errors.js';

export interface RgbImage {
  width: number;
  height: number;
  rgb: Buffer;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface Mask {
  shift: number;
  max: number;
  mask: number;
}

function maskInfo(mask: number): Mask {
  if (mask === 0) return { shift: 0, max: 0, mask: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift, mask };
}

function channel(pixel: number, m: Mask, fallback: number): number {
  if (m.max === 0) return fallback;
  return Math.round((((pixel & m.mask) >>> 0) >>> m.shift) * (255 / m.max));
}

function corrupt(message: string): CheckboxError {
  return new CheckboxError('corrupt_image', `BMP: ${message}`);
}

/** Width and height from the header, for the pixel limit check before any allocation. */
export function bmpSize(data: Uint8Array): { width: number; height: number } {
  if (data.length < 26) throw corrupt('header is truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dibSize = view.getUint32(14, true);
  if (dibSize === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

function hasVisibleAlpha(
  view: DataView,
  offset: number,
  stride: number,
  width: number,
  height: number,
  bpp: number,
  alpha: Mask,
): boolean {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = offset + y * stride + (x * bpp) / 8;
      const pixel = bpp === 16 ? view.getUint16(at, true) : view.getUint32(at, true);
      if ((pixel & alpha.mask) !== 0) return true;
    }
  }
  return false;
}

export function decodeBmp(data: Uint8Array): RgbImage {
  if (data.length < 30) throw corrupt('header is truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  const core = dibSize === 12;
  if (!core && dibSize < 40) throw corrupt(`unknown header size ${dibSize}`);
  if (14 + dibSize > data.length) throw corrupt('header is truncated');

  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(20, true) : view.getInt32(22, true);
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw corrupt(`bad size ${width}x${rawHeight}`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw new CheckboxError(
      'unsupported_type',
      `BMP compression ${compression} (RLE/JPEG/PNG in BMP) is not supported`,
    );
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw corrupt(`unsupported bit depth ${bpp}`);

  // Palette for <= 8 bpp: BGR(x) entries right after the DIB header.
  let palette: Uint8Array | undefined;
  if (bpp <= 8) {
    const entrySize = core ? 3 : 4;
    const declared = core ? 0 : view.getUint32(46, true);
    const count = declared > 0 ? Math.min(declared, 1 << bpp) : 1 << bpp;
    const start = 14 + dibSize;
    if (start + count * entrySize > data.length) throw corrupt('palette is truncated');
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < count; i++) {
      const p = start + i * entrySize;
      palette[i * 3] = data[p + 2]!;
      palette[i * 3 + 1] = data[p + 1]!;
      palette[i * 3 + 2] = data[p]!;
    }
  }

  // Channel masks for 16/32 bpp: defaults, or BI_BITFIELDS masks (inside V4/V5 headers or after a 40-byte one).
  let masks: [Mask, Mask, Mask, Mask] | undefined;
  if (bpp === 16 || bpp === 32) {
    let r = bpp === 16 ? 0x7c00 : 0xff0000;
    let g = bpp === 16 ? 0x03e0 : 0xff00;
    let b = bpp === 16 ? 0x001f : 0xff;
    let a = 0;
    if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
      if (54 + 12 > data.length) throw corrupt('bit masks are truncated');
      r = view.getUint32(54, true);
      g = view.getUint32(58, true);
      b = view.getUint32(62, true);
      const hasAlphaMask = dibSize >= 56 || compression === BI_ALPHABITFIELDS;
      if (hasAlphaMask && 66 + 4 <= data.length) a = view.getUint32(66, true);
    }
    masks = [maskInfo(r), maskInfo(g), maskInfo(b), maskInfo(a)];
  }

  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (pixelOffset + stride * height > data.length) throw corrupt('pixel data is truncated');
  // Many writers leave the alpha byte zero although they declare a mask: then the image is opaque.
  if (
    masks &&
    masks[3].max > 0 &&
    !hasVisibleAlpha(view, pixelOffset, stride, width, height, bpp, masks[3])
  ) {
    masks[3] = maskInfo(0);
  }

  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      if (palette) {
        const bitPos = x * bpp;
        const byte = data[row + (bitPos >> 3)]!;
        const index = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        rgb[o] = palette[index * 3]!;
        rgb[o + 1] = palette[index * 3 + 1]!;
        rgb[o + 2] = palette[index * 3 + 2]!;
      } else if (bpp === 24) {
        const p = row + x * 3;
        rgb[o] = data[p + 2]!;
        rgb[o + 1] = data[p + 1]!;
        rgb[o + 2] = data[p]!;
      } else {
        const pixel = bpp === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        const [mr, mg, mb, ma] = masks!;
        const alpha = channel(pixel, ma, 255) / 255;
        rgb[o] = Math.round(channel(pixel, mr, 0) * alpha + 255 * (1 - alpha));
        rgb[o + 1] = Math.round(channel(pixel, mg, 0) * alpha + 255 * (1 - alpha));
        rgb[o + 2] = Math.round(channel(pixel, mb, 0) * alpha + 255 * (1 - alpha));
      }
    }
  }
  return { width, height, rgb };
}
