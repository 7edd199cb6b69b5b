// OCR with tesseract.js (Apache-2.0): its WebAssembly Tesseract runs in worker threads of its own (OCR_WORKERS),
// with the LSTM model only and language data from disk (ocr-language.ts), so nothing is fetched. Loaded on first
// use: most runs read no text, and none should pay for its import at start-up.
import { availableParallelism } from 'node:os';
import type { Worker } from 'tesseract.js';
import { CheckboxError } from '../../src-shared/errors.js';
import { ocrLanguage } from './ocr-language.js';
import type { PageWord } from './words.js';

/** Words Tesseract is less sure of than this (0-100) are mostly box edges and speckles. */
const MIN_CONFIDENCE = 30;

/** Tesseract reads one image on one core: the runs of a page are split between this many workers, one per
 *  core up to two (each holds its own copy of the model, some 20 MB). */
export const OCR_WORKERS = Math.max(1, Math.min(2, availableParallelism()));

export class OcrEngine {
  private constructor(
    private readonly workers: Worker[],
    readonly lang: string,
  ) {}

  /** How many images `words` reads at once. */
  get parallel(): number {
    return this.workers.length;
  }

  static async create(lang?: string, workers = OCR_WORKERS): Promise<OcrEngine> {
    const data = ocrLanguage(lang);
    const started: Promise<Worker>[] = [];
    try {
      const { createWorker, OEM, PSM } = await import('tesseract.js');
      const start = async (): Promise<Worker> => {
        const worker = await createWorker(data.lang, OEM.LSTM_ONLY, {
          langPath: data.langPath,
          gzip: data.gzip,
          cacheMethod: 'none',
        });
        // One block of uniform lines: the runs of text are stacked one per line, all scaled to one height, dark
        // on light (so no line needs reading again inverted).
        await worker.setParameters({
          tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
          user_defined_dpi: '200',
          tessedit_do_invert: '0',
        });
        return worker;
      };
      for (let i = 0; i < Math.max(1, workers); i++) started.push(start());
      return new OcrEngine(await Promise.all(started), data.lang);
    } catch (err) {
      // Those that did start are not left running.
      await Promise.allSettled(started.map(async (w) => (await w).terminate()));
      throw new CheckboxError(
        'internal',
        `OCR could not start: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
  }

  /** Words of image files (PNG, PNM...), each in its own pixels; up to `parallel` read at once. */
  async words(images: readonly Buffer[]): Promise<PageWord[][]> {
    const out: PageWord[][] = new Array<PageWord[]>(images.length);
    let next = 0;
    await Promise.all(
      this.workers.slice(0, images.length).map(async (worker) => {
        while (next < images.length) {
          const i = next++;
          // Tesseract's own word table (TSV) rather than tesseract.js's block tree, which it builds down to
          // every letter's alternatives: the same words for a tenth less time.
          const { data } = await worker.recognize(images[i]!, {}, { tsv: true, blocks: false, text: false });
          out[i] = wordsOfTsv(data.tsv ?? '');
        }
      }),
    );
    return out;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
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
