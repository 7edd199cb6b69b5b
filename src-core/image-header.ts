// Reads just enough of a PNG or JPEG header to tell that the file decodes to plain 8-bit sRGB — three channels,
// or grey or a palette that libvips widens to three on output by itself; no alpha, no ICC profile, no EXIF
// rotation — as most scans do. Such a file needs none of the normalising steps (which cost a grey scan 10 ms
// instead of 3 between other pages), and knowing it from the bytes saves asking libvips for the metadata
// first (a second pass through its thread pool for every page). Anything unusual or unreadable answers null:
// the caller then asks libvips.

export interface PlainRgbSize {
  width: number;
  height: number;
}

const u16be = (d: Uint8Array, at: number): number => (d[at]! << 8) | d[at + 1]!;
const u32be = (d: Uint8Array, at: number): number => u16be(d, at) * 65536 + u16be(d, at + 2);
const ascii = (d: Uint8Array, at: number, length: number): string =>
  String.fromCharCode(...d.subarray(at, at + length));

/** PNG colour types and the bit depths at which libvips decodes them straight to 8-bit RGB. */
const PNG_PLAIN_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8], // grey (bilevel scans are 1-bit)
  2: [8], // RGB
  3: [1, 2, 4, 8], // palette
};
/** Chunks that make a PNG anything but plain: alpha by colour key, an ICC profile, EXIF (orientation). */
const PNG_NOT_PLAIN = new Set(['tRNS', 'iCCP', 'eXIf']);
const PNG_TEXT = new Set(['tEXt', 'zTXt', 'iTXt']);

function pngPlainRgb(d: Uint8Array): PlainRgbSize | null {
  // Signature (8), then IHDR: length, type, width, height, bit depth, colour type, ...
  if (d.length < 33 || ascii(d, 12, 4) !== 'IHDR') return null;
  const width = u32be(d, 16);
  const height = u32be(d, 20);
  if (!PNG_PLAIN_DEPTHS[d[25]!]?.includes(d[24]!)) return null;
  // The chunks that matter come before the image data.
  for (let at = 8; at + 8 <= d.length;) {
    const type = ascii(d, at + 4, 4);
    if (type === 'IDAT') return { width, height };
    if (PNG_NOT_PLAIN.has(type)) return null;
    // ImageMagick stores EXIF and ICC profiles as text: "Raw profile type exif", "... icc".
    if (PNG_TEXT.has(type) && ascii(d, at + 8, 16) === 'Raw profile type') return null;
    at += 12 + u32be(d, at);
  }
  return null;
}

/** The EXIF orientation in an APP1 segment's TIFF block (1 when absent or unreadable as anything else). */
function exifOrientation(d: Uint8Array, tiff: number, end: number): number | null {
  const little = ascii(d, tiff, 2) === 'II';
  if (!little && ascii(d, tiff, 2) !== 'MM') return null;
  const u16 = (at: number) => (little ? d[at]! | (d[at + 1]! << 8) : u16be(d, at));
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 65536 : u32be(d, at));
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return null;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (u16(entry) === 0x0112) return u16(entry + 8);
  }
  return 1;
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; Huffman and arithmetic). */
const isStartOfFrame = (m: number): boolean =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegPlainRgb(d: Uint8Array): PlainRgbSize | null {
  let size: PlainRgbSize | null = null;
  for (let at = 2; at + 4 <= d.length;) {
    if (d[at] !== 0xff) return null;
    const marker = d[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda) return size; // start of scan: every header segment has been seen
    const length = u16be(d, at + 2);
    const body = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > d.length) return null;
    if (isStartOfFrame(marker)) {
      // Precision, height, width, components (3, or 1 for grey; 4 is CMYK).
      if (d[body] !== 8 || (d[body + 5] !== 3 && d[body + 5] !== 1)) return null;
      size = { width: u16be(d, body + 3), height: u16be(d, body + 1) };
    } else if (marker === 0xe2 && ascii(d, body, 12) === 'ICC_PROFILE\0') {
      return null;
    } else if (marker === 0xe1 && ascii(d, body, 6) === 'Exif\0\0') {
      if (exifOrientation(d, body + 6, end) !== 1) return null;
    }
    at = end;
  }
  return null;
}

/** The size of a PNG or JPEG that decodes to plain 8-bit sRGB RGB as it is, else null (ask libvips). */
export function plainRgbSize(data: Uint8Array, type: 'png' | 'jpeg'): PlainRgbSize | null {
  const size = type === 'png' ? pngPlainRgb(data) : jpegPlainRgb(data);
  return size && size.width > 0 && size.height > 0 ? size : null;
}
