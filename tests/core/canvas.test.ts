// Skia is loaded for BMPs and PDFs without its scan of the system fonts (src-core/canvas.ts): the scan cost
// ~200 MiB and ~190 ms where many fonts are installed, and neither decoder draws with system fonts.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { decodeImage } from '../../src-core/index.js';
import { fixture } from '../helpers/paths.js';

it('decodes a BMP and a PDF with no system font loaded', async () => {
  const [bmp] = await decodeImage(readFileSync(fixture('page.bmp')));
  const pdf = await decodeImage(readFileSync(fixture('form-3p.pdf')));
  expect(bmp!.width).toBe(480);
  expect(pdf).toHaveLength(3);
  const { GlobalFonts } = await import('@napi-rs/canvas');
  expect(GlobalFonts.families).toEqual([]);
});
