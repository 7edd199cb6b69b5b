// The pages of a file as the cloud gets them. They are counted here, with the decoders the server uses, so a
// page count in an answer can be checked instead of trusted; and each page of a PDF or TIFF is sent on its
// own (a one-page PDF, a lossless PNG of a TIFF page), so a long file is uploaded once in all, not once per page.
import sharp from 'sharp';
import { CheckboxError } from '../../src-shared/errors.js';
import { DEFAULT_DPI, decodeImage, sniffImageType } from '../image.js';
import { openPdf } from '../pdf.js';

/** Far beyond any real form; a file with more pages is refused before a single request. */
export const MAX_CLOUD_PAGES = 10_000;

export interface PagePart {
  data: Uint8Array;
  /** The page inside `data`, and how many pages `data` has (undefined when the type is unknown here). */
  page: number;
  pages: number | undefined;
}

export interface FilePages {
  /** The file's own page count; undefined for a type this client does not know (the server names it). */
  readonly count: number | undefined;
  part(page: number): Promise<PagePart>;
}

export async function openFilePages(data: Uint8Array, dpi = DEFAULT_DPI): Promise<FilePages> {
  const type = sniffImageType(data);
  const whole =
    (count: number | undefined): FilePages['part'] =>
    async (page) => ({ data, page, pages: count });
  if (type === 'pdf') {
    const pdf = await openPdf(data, dpi);
    const count = pdf.pages;
    await pdf.close();
    checkCount(count);
    return { count, part: count === 1 ? whole(count) : pdfSplitter(data, count) };
  }
  if (type === 'tiff') {
    const count = Math.max(1, (await sharp(data, { pages: -1 }).metadata()).pages ?? 1);
    checkCount(count);
    return { count, part: count === 1 ? whole(count) : tiffSplitter(data) };
  }
  return { count: type === null ? undefined : 1, part: whole(type === null ? undefined : 1) };
}

/** A file's uploads, all made at once: the app makes them on a pool worker, off its main process. */
export interface SplitFile {
  count: number | undefined;
  parts: PagePart[];
}

export async function splitFile(data: Uint8Array, dpi = DEFAULT_DPI): Promise<SplitFile> {
  const pages = await openFilePages(data, dpi);
  const parts: PagePart[] = [];
  for (let page = 1; page <= (pages.count ?? 1); page++) parts.push(await pages.part(page));
  return { count: pages.count, parts };
}

export const splitPages = ({ count, parts }: SplitFile): FilePages => ({
  count,
  part: async (page) => parts[page - 1]!,
});

function checkCount(count: number): void {
  if (count > MAX_CLOUD_PAGES) {
    throw new CheckboxError(
      'invalid_argument',
      `the file has ${count} pages; the cloud takes at most ${MAX_CLOUD_PAGES}`,
    );
  }
}

/** One-page PDFs made with pdf-lib; a PDF it cannot split (encrypted, odd) goes whole, with the page asked for. */
function pdfSplitter(data: Uint8Array, count: number): FilePages['part'] {
  const source = import('pdf-lib')
    .then(async ({ PDFDocument }) => {
      const doc = await PDFDocument.load(data, { updateMetadata: false });
      return doc.getPageCount() === count ? { PDFDocument, doc } : undefined;
    })
    .catch(() => undefined);
  return async (page) => {
    const lib = await source;
    if (!lib) return { data, page, pages: count };
    const out = await lib.PDFDocument.create({ updateMetadata: false });
    const [copy] = await out.copyPages(lib.doc, [page - 1]);
    out.addPage(copy!);
    return { data: await out.save(), page: 1, pages: 1 };
  };
}

/** A TIFF page decoded here exactly as the server would, and sent as a lossless PNG of those pixels. */
function tiffSplitter(data: Uint8Array): FilePages['part'] {
  return async (page) => {
    const [decoded] = await decodeImage(data, { pages: [page] });
    const { width, height, rgb } = decoded!;
    const png = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    return { data: new Uint8Array(png), page: 1, pages: 1 };
  };
}
