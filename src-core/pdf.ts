// PDF pages rendered with pdf.js (Apache-2.0) onto @napi-rs/canvas. Loaded lazily: most inputs are images.
import { createRequire } from 'node:module';
import path from 'node:path';
import { CheckboxError } from '../src-shared/errors.js';
import type * as Canvas from '@napi-rs/canvas';
import type * as PdfJs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { loadCanvas } from './canvas.js';
import { rgbFromRgba, type RgbImage } from './rgb-image.js';
import { pdfPageWords } from './text/pdf-words.js';
import type { PageWord } from './text/words.js';

let libs: Promise<{ pdfjs: typeof PdfJs; canvas: typeof Canvas; standardFontDataUrl: string }> | undefined;

function loadLibs(): typeof libs & object {
  libs ??= (async () => {
    const canvas = await loadCanvas(); // before pdf.js, which imports it too
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pkg = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
    return { pdfjs, canvas, standardFontDataUrl: path.join(path.dirname(pkg), 'standard_fonts') + path.sep };
  })();
  return libs;
}

export interface PdfPageSource {
  pages: number;
  /** Rendered size of a page at the document's DPI, without rendering it. */
  size(page: number): Promise<{ width: number; height: number }>;
  render(page: number): Promise<RgbImage>;
  /** The page's text layer (empty for a scan), in the rendered page's pixels. */
  words(page: number): Promise<PageWord[]>;
  close(): Promise<void>;
}

function pdfError(err: unknown): CheckboxError {
  const name = (err as { name?: string } | null)?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'PasswordException') {
    return new CheckboxError('unsupported_type', 'PDF is password-protected', { cause: err });
  }
  return new CheckboxError('corrupt_image', `PDF cannot be read: ${message}`, { cause: err });
}

export async function openPdf(data: Uint8Array, dpi: number): Promise<PdfPageSource> {
  const { pdfjs, canvas, standardFontDataUrl } = await loadLibs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(data), // pdf.js takes ownership of (detaches) the buffer it is given
    // pdf.js >= 6.2.108 compiles no code from the file (no eval, CVE-2026-16633) and, without its viewer,
    // runs none of the file's JavaScript; XFA stays off. Fonts come from the file or pdf.js's own
    // standard fonts read from disk: no system fonts, no FontFace, nothing fetched by the worker.
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    standardFontDataUrl,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy();
    throw pdfError(err);
  }
  const scale = dpi / 72;

  const viewport = async (pageNumber: number) => {
    const page = await doc.getPage(pageNumber).catch((err: unknown) => {
      throw pdfError(err);
    });
    const vp = page.getViewport({ scale });
    return { page, vp, width: Math.floor(vp.width), height: Math.floor(vp.height) };
  };

  return {
    pages: doc.numPages,
    async size(pageNumber) {
      const { width, height } = await viewport(pageNumber);
      return { width, height };
    },
    async render(pageNumber) {
      const { page, vp, width, height } = await viewport(pageNumber);
      if (width < 1 || height < 1)
        throw new CheckboxError('corrupt_image', `PDF page ${pageNumber} has no area`);
      const surface = canvas.createCanvas(width, height);
      const ctx = surface.getContext('2d');
      try {
        await page.render({
          canvas: surface as never,
          canvasContext: ctx as never,
          viewport: vp,
          background: 'rgb(255,255,255)',
        }).promise;
      } catch (err) {
        throw pdfError(err);
      } finally {
        page.cleanup();
      }
      return rgbFromRgba(width, height, ctx.getImageData(0, 0, width, height).data);
    },
    async words(pageNumber) {
      const { page, vp } = await viewport(pageNumber);
      try {
        return await pdfPageWords(page, vp);
      } catch (err) {
        throw pdfError(err);
      }
    },
    async close() {
      await task.destroy();
    },
  };
}
