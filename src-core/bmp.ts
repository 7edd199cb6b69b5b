// BMP, which sharp/libvips cannot read, decoded by Skia through @napi-rs/canvas (canvas.ts, as for PDFs):
// paletted, 16/24/32-bit with bit masks, RLE; alpha flattened on white. The header is read here first, for the
// pixel limit before any allocation and because Skia draws a truncated file's missing rows without an error.
import { CheckboxError } from '../src-shared/errors.js';
import { loadCanvas } from './canvas.js';
import { rgbFromRgba, type RgbImage } from './rgb-image.js';

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

function corrupt(message: string, cause?: unknown): CheckboxError {
  return new CheckboxError('corrupt_image', `BMP: ${message}`, { cause });
}

/** Width and height from the header, for the pixel limit check before any allocation. */
export function bmpSize(data: Uint8Array): { width: number; height: number } {
  if (data.length < 26) throw corrupt('header is truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dibSize = view.getUint32(14, true);
  if (dibSize === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

/** Uncompressed pixel rows must all be there (RLE streams end where they say, and Skia checks them). */
function checkComplete(data: Uint8Array, width: number, height: number): void {
  if (data.length < 30) throw corrupt('header is truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const core = view.getUint32(14, true) === 12;
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) return;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (view.getUint32(10, true) + stride * height > data.length) throw corrupt('pixel data is truncated');
}

export async function decodeBmp(data: Uint8Array): Promise<RgbImage> {
  const { width, height } = bmpSize(data);
  if (width === 0 || height === 0) throw corrupt(`bad size ${width}x${height}`);
  checkComplete(data, width, height);
  const { createCanvas, loadImage } = await loadCanvas();
  const image = await loadImage(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).catch(
    (err: unknown) => {
      throw corrupt('cannot be read', err);
    },
  );
  const surface = createCanvas(image.width, image.height);
  const ctx = surface.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.drawImage(image, 0, 0);
  return rgbFromRgba(image.width, image.height, ctx.getImageData(0, 0, image.width, image.height).data);
}
