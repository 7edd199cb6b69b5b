// Bad inputs made at test time: nothing here is committed.
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { fixture } from './paths.js';

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A valid 1-bit greyscale PNG of width x height, all black: 30000x30000 (900 MP, 2.7 GB as RGB) compresses to
 * about 100 KB, a real decompression bomb.
 */
export function hugePng(width = 30000, height = 30000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const row = Math.ceil(width / 8) + 1; // filter byte + packed bits
  const idat = zlib.deflateSync(Buffer.alloc(row * height), { level: 9 });
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export function truncated(name: string, keep = 0.5): Buffer {
  const data = readFileSync(fixture(name));
  return data.subarray(0, Math.floor(data.length * keep));
}

export const textFile = (): Buffer => Buffer.from('Name,Checked\nAlice,yes\nBob,no\n', 'utf8');
export const emptyFile = (): Buffer => Buffer.alloc(0);
