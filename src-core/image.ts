// Decode any supported input into 8-bit sRGB RGB pages: type sniffed from magic bytes, EXIF orientation
// applied, grey/CMYK/16-bit/alpha normalised, and a pixel limit checked before any pixels are allocated.
import sharp, { type Metadata } from 'sharp';
import { bmpSize, decodeBmp } from './bmp.js';
import type { RgbImage } from './rgb-image.js';
import { CheckboxError } from '../src-shared/errors.js';
import { plainRgbSize } from './image-header.js';
import { openPdf } from './pdf.js';
import type { PageWord } from './text/words.js';

// libvips keeps recent operation results for reuse; a page is never decoded twice the same way, so the cache
// only holds memory (about 30 MiB less peak RSS per warm process without it).
sharp.cache(false);

import type { ImageType } from '../src-shared/formats.js';
export type { ImageType };

export interface DecodedPage {
  /** 1-based page number. */
  page: number;
  /** Page count of the source. */
  pages: number;
  width: number;
  height: number;
  /** HWC uint8, 3 channels (RGB). */
  rgb: Buffer;
  /** A PDF page's text layer, when asked for (DecodeOptions.textLayer); empty when the page has none. */
  words?: PageWord[];
}

export interface DecodeOptions {
  /** PDF render resolution; default 200. */
  dpi?: number;
  /** Largest accepted page (width x height); default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
  /** 1-based pages to decode; default all. */
  pages?: number[];
  /** Also read each PDF page's text layer into DecodedPage.words. */
  textLayer?: boolean;
}

/** 80 MP: an A3 page scanned at 600 dpi fits (70 MP), a decompression bomb does not. */
export const DEFAULT_MAX_PIXELS = 80_000_000;
export const DEFAULT_DPI = 200;
const MAX_DPI = 1200;

const startsWith = (data: Uint8Array, bytes: number[], at = 0): boolean =>
  data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);

export function sniffImageType(data: Uint8Array): ImageType | null {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(data, [0x49, 0x49, 0x2a, 0x00]) || startsWith(data, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(data, [0x49, 0x49, 0x2b, 0x00]) || startsWith(data, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff'; // BigTIFF
  if (startsWith(data, [0x52, 0x49, 0x46, 0x46]) && startsWith(data, [0x57, 0x45, 0x42, 0x50], 8))
    return 'webp';
  if (startsWith(data, [0x42, 0x4d]) && data.length >= 26) return 'bmp';
  // The PDF header may follow some junk within the first 1024 bytes.
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return null;
}

function tooLarge(width: number, height: number, maxPixels: number): CheckboxError {
  return new CheckboxError(
    'image_too_large',
    `image is ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP), over the limit of ${(maxPixels / 1e6).toFixed(1)} MP`,
  );
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw tooLarge(width, height, maxPixels);
}

/** Map libvips' messages to stable codes. */
function sharpError(err: unknown, type: ImageType, maxPixels: number): CheckboxError {
  if (err instanceof CheckboxError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/exceeds pixel limit/i.test(message)) {
    return new CheckboxError(
      'image_too_large',
      `image is over the limit of ${(maxPixels / 1e6).toFixed(1)} MP`,
      {
        cause: err,
      },
    );
  }
  const detail = message.split('\n')[0]!.trim();
  return new CheckboxError('corrupt_image', `${type.toUpperCase()} cannot be decoded: ${detail}`, {
    cause: err,
  });
}

function selectPages(total: number, wanted: number[] | undefined): number[] {
  if (!wanted) return Array.from({ length: total }, (_, i) => i + 1);
  for (const p of wanted) {
    if (!Number.isInteger(p) || p < 1 || p > total) {
      // Well-formed but past the end: a file the server cannot process as asked (HTTP 422, as a corrupt one).
      throw new CheckboxError('invalid_argument', `page ${p} does not exist (the file has ${total})`, {
        httpStatus: 422,
      });
    }
  }
  return wanted;
}

/**
 * Already 8-bit sRGB without alpha, ICC profile or EXIF rotation (most scans): the normalising steps would
 * each be a no-op pass over the pixels, so skip them.
 */
function isPlainRgb(meta: Metadata): boolean {
  return (
    meta.channels === 3 &&
    !meta.hasAlpha &&
    meta.space === 'srgb' &&
    meta.depth === 'uchar' &&
    !meta.icc &&
    (meta.orientation ?? 1) === 1 &&
    (meta.pages ?? 1) === 1
  );
}

async function decodeWithSharp(
  data: Uint8Array,
  type: ImageType,
  page: number,
  maxPixels: number,
  plain: boolean,
): Promise<RgbImage> {
  const image = sharp(data, { page: page - 1, limitInputPixels: maxPixels });
  const normalised = plain
    ? image
    : image.autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha();
  const { data: rgb, info } = await normalised
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((err: unknown) => {
      throw sharpError(err, type, maxPixels);
    });
  if (info.channels !== 3) throw new CheckboxError('internal', `decoder returned ${info.channels} channels`);
  return { width: info.width, height: info.height, rgb };
}

async function sharpMetadata(data: Uint8Array, type: ImageType, maxPixels: number): Promise<Metadata> {
  const meta = await sharp(data, { limitInputPixels: maxPixels })
    .metadata()
    .catch((err: unknown) => {
      throw sharpError(err, type, maxPixels);
    });
  if (meta.width !== undefined && meta.height !== undefined) checkPixels(meta.width, meta.height, maxPixels);
  return meta;
}

/**
 * Decode pages one at a time, so a long PDF or TIFF never holds every page in memory.
 * Throws CheckboxError: empty_file, unsupported_type, corrupt_image, image_too_large, invalid_argument.
 */
export async function* decodePages(data: Uint8Array, opts: DecodeOptions = {}): AsyncGenerator<DecodedPage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const dpi = opts.dpi ?? DEFAULT_DPI;
  if (!(dpi > 0 && dpi <= MAX_DPI))
    throw new CheckboxError('invalid_argument', `dpi must be in (0, ${MAX_DPI}]`);
  if (data.length === 0) throw new CheckboxError('empty_file', 'the file is empty');
  const type = sniffImageType(data);
  if (type === null) {
    throw new CheckboxError('unsupported_type', 'not a supported image (PNG, JPEG, TIFF, WebP, BMP or PDF)');
  }

  if (type === 'pdf') {
    const pdf = await openPdf(data, dpi);
    try {
      for (const page of selectPages(pdf.pages, opts.pages)) {
        const size = await pdf.size(page);
        checkPixels(size.width, size.height, maxPixels);
        const words = opts.textLayer ? { words: await pdf.words(page) } : {};
        yield { page, pages: pdf.pages, ...(await pdf.render(page)), ...words };
      }
    } finally {
      await pdf.close();
    }
    return;
  }

  if (type === 'bmp') {
    const { width, height } = bmpSize(data);
    checkPixels(width, height, maxPixels);
    selectPages(1, opts.pages);
    yield { page: 1, pages: 1, ...(await decodeBmp(data)) };
    return;
  }

  const plain = type === 'png' || type === 'jpeg' ? plainRgbSize(data, type) : null;
  if (plain) {
    checkPixels(plain.width, plain.height, maxPixels);
    selectPages(1, opts.pages);
    yield { page: 1, pages: 1, ...(await decodeWithSharp(data, type, 1, maxPixels, true)) };
    return;
  }

  const meta = await sharpMetadata(data, type, maxPixels);
  // Animated WebP frames are not pages of a form: only TIFF pages count.
  const pages = type === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
  for (const page of selectPages(pages, opts.pages)) {
    yield { page, pages, ...(await decodeWithSharp(data, type, page, maxPixels, isPlainRgb(meta))) };
  }
}

/** Decode every page (or the chosen pages) of an image or PDF. */
export async function decodeImage(data: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedPage[]> {
  const out: DecodedPage[] = [];
  for await (const page of decodePages(data, opts)) out.push(page);
  return out;
}
