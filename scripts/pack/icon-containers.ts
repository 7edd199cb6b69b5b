// Writers for the two icon containers the installers need, from already rendered square images.
//   .ico  (Windows, NSIS): 32-bit BMP entries below 256 px, a PNG entry at 256 px. That is the layout
//         Windows itself ships; NSIS and rcedit read BMP entries everywhere, PNG ones only at 256.
//   .icns (macOS): PNG entries only, which every macOS since 10.7 reads.

export interface RgbaImage {
  size: number; // square: width = height
  rgba: Buffer; // top-down rows, 4 bytes a pixel
}

export interface PngImage {
  size: number;
  png: Buffer;
}

/** Width/height of an ICO entry is one byte; 0 means 256. */
const ICO_MAX = 256;

function bmpEntry({ size, rgba }: RgbaImage): Buffer {
  if (rgba.length !== size * size * 4)
    throw new Error(`ICO entry ${size}px: expected ${size * size * 4} bytes of RGBA`);
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0); // BITMAPINFOHEADER
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows + mask rows, as ICO requires
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    const src = y * size * 4;
    const dst = (size - 1 - y) * size * 4; // BMP rows run bottom-up
    for (let x = 0; x < size * 4; x += 4) {
      pixels[dst + x] = rgba[src + x + 2]!; // B
      pixels[dst + x + 1] = rgba[src + x + 1]!; // G
      pixels[dst + x + 2] = rgba[src + x]!; // R
      pixels[dst + x + 3] = rgba[src + x + 3]!; // A
    }
  }
  // The 1-bit AND mask is unused with 32-bit colour (alpha wins) but must be present: all zero.
  const maskRow = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskRow * size);
  header.writeUInt32LE(pixels.length + mask.length, 20);
  return Buffer.concat([header, pixels, mask]);
}

export function encodeIco(small: RgbaImage[], large: PngImage): Buffer {
  if (large.size !== ICO_MAX)
    throw new Error(`the PNG entry of an ICO must be ${ICO_MAX}px, got ${large.size}`);
  const entries = [
    ...[...small]
      .sort((a, b) => a.size - b.size)
      .map((img) => {
        if (img.size >= ICO_MAX) throw new Error(`BMP entries must be under ${ICO_MAX}px, got ${img.size}`);
        return { size: img.size, data: bmpEntry(img) };
      }),
    { size: large.size, data: large.png },
  ];
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(entries.length, 4);
  const directory = Buffer.alloc(16 * entries.length);
  let offset = header.length + directory.length;
  entries.forEach(({ size, data }, i) => {
    const at = i * 16;
    directory.writeUInt8(size % ICO_MAX, at);
    directory.writeUInt8(size % ICO_MAX, at + 1);
    directory.writeUInt16LE(1, at + 4); // planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(data.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, directory, ...entries.map((e) => e.data)]);
}

/** ICNS PNG entry types by pixel size; the @2x types repeat a size under a second name. */
export const ICNS_TYPES: ReadonlyArray<{ type: string; size: number }> = [
  { type: 'icp4', size: 16 },
  { type: 'icp5', size: 32 },
  { type: 'icp6', size: 64 },
  { type: 'ic07', size: 128 },
  { type: 'ic08', size: 256 },
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 }, // 512@2x
  { type: 'ic11', size: 32 }, // 16@2x
  { type: 'ic12', size: 64 }, // 32@2x
  { type: 'ic13', size: 256 }, // 128@2x
  { type: 'ic14', size: 512 }, // 256@2x
];

export function encodeIcns(pngs: PngImage[]): Buffer {
  const bySize = new Map(pngs.map((p) => [p.size, p.png]));
  const chunks = ICNS_TYPES.map(({ type, size }) => {
    const png = bySize.get(size);
    if (!png) throw new Error(`ICNS needs a ${size}px PNG for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4); // the length counts the 8-byte entry header
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}
