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
      // One block: the stacked bands are lines of text with rules and boxes erased (on generated scans this
      // reads more labels than sparse-text or automatic segmentation).
      await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, user_defined_dpi: '200' });
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
    const { data } = await this.worker.recognize(image, {}, { blocks: true, text: false });
    const words: PageWord[] = [];
    for (const block of data.blocks ?? [])
      for (const para of block.paragraphs)
        for (const line of para.lines)
          for (const w of line.words)
            if (w.confidence >= MIN_CONFIDENCE && w.text.trim())
              words.push({ text: w.text.trim(), box: [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1] });
    return words;
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
