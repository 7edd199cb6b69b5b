// OCR with tesseract.js (Apache-2.0): its WebAssembly Tesseract runs in a worker thread of its own, with the
// LSTM model only and language data from disk (ocr-language.ts), so nothing is fetched. Loaded on first use:
// most runs read no text, and none should pay for its import at start-up.
import type { Worker } from 'tesseract.js';
import { CheckboxError } from '../../src-shared/errors.js';
import { ocrLanguage } from './ocr-language.js';
import type { PageWord } from './words.js';

/** Words Tesseract is less sure of than this (0-100) are mostly box edges and speckles. */
const MIN_CONFIDENCE = 30;

export class OcrEngine {
  private constructor(
    private readonly worker: Worker,
    readonly lang: string,
  ) {}

  static async create(lang?: string): Promise<OcrEngine> {
    const data = ocrLanguage(lang);
    let worker: Worker;
    try {
      const { createWorker, OEM, PSM } = await import('tesseract.js');
      worker = await createWorker(data.lang, OEM.LSTM_ONLY, {
        langPath: data.langPath,
        gzip: data.gzip,
        cacheMethod: 'none',
      });
      // One block of uniform lines: the runs of text are stacked one per line, all scaled to one height, dark on
      // light (so no line needs reading again inverted).
      await worker.setParameters({
        tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
        user_defined_dpi: '200',
        tessedit_do_invert: '0',
      });
    } catch (err) {
      throw new CheckboxError(
        'internal',
        `OCR could not start: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
    return new OcrEngine(worker, data.lang);
  }

  /** Words of an image file (PNG, PNM...), in its pixels. */
  async words(image: Buffer): Promise<PageWord[]> {
    // Tesseract's own word table (TSV) rather than tesseract.js's block tree, which it builds down to every
    // letter's alternatives: the same words for a tenth less time.
    const { data } = await this.worker.recognize(image, {}, { tsv: true, blocks: false, text: false });
    return wordsOfTsv(data.tsv ?? '');
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Words of Tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height, conf, text). */
export function wordsOfTsv(tsv: string): PageWord[] {
  const words: PageWord[] = [];
  for (const row of tsv.split('\n')) {
    const cells = row.split('\t');
    if (cells[0] !== '5' || cells.length < 12) continue;
    const [left, top, width, height, conf] = cells.slice(6, 11).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const text = cells.slice(11).join('\t').trim();
    if (conf >= MIN_CONFIDENCE && text) words.push({ text, box: [left, top, left + width, top + height] });
  }
  return words;
}
