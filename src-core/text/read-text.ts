// Reads the text of a page's boxes: words from the PDF text layer or OCR (by mode), then the layout's labels,
// questions and groups merged into the detections. A page whose text cannot be read keeps every box.
import { performance } from 'node:perf_hooks';
import { CheckboxError } from '../../src-shared/errors.js';
import type { DecodedPage } from '../image.js';
import type { Box, Detection, Group, TextInfo } from '../../src-shared/result.js';
import { assignText, columnOf } from './layout.js';
import type { OcrEngine } from './ocr.js';
import { bandsFor, cropPgm, stackBands, wordsOnPage } from './strips.js';
import type { PageWord } from './words.js';

/** off: no text; pdf: the text layer only; ocr: always OCR; auto: the text layer where a page has one, else OCR. */
import { TEXT_MODES, type TextMode } from '../../src-shared/result.js';
export { TEXT_MODES, type TextMode };

export function checkTextMode(mode: string | undefined): TextMode {
  if (mode === undefined) return 'off';
  if (!(TEXT_MODES as readonly string[]).includes(mode))
    throw new CheckboxError('invalid_argument', `text must be one of ${TEXT_MODES.join(', ')}, got ${mode}`);
  return mode as TextMode;
}

/** Whether decoding should read PDF text layers for this mode. */
export const wantsTextLayer = (mode: TextMode): boolean => mode === 'auto' || mode === 'pdf';

export interface PageText {
  detections: Detection[];
  groups: Group[];
  text: TextInfo;
}

async function ocrWords(
  page: DecodedPage,
  detections: readonly Detection[],
  ocr: OcrEngine,
): Promise<PageWord[]> {
  const boxes = detections.map((d) => d.box);
  const bands = bandsFor(boxes, page.height);
  return wordsOnPage(await ocr.words(stackBands(page.rgb, page.width, bands, boxes)), bands);
}

/** How far above a column of unlabelled boxes its header may be, in box heights (as layout.ts looks). */
const HEADER_REACH = 2;

/**
 * Table column headers the page's OCR missed: short bold words next to rules, which Tesseract reads far better
 * alone. One small OCR call per column of two or more unlabelled boxes.
 */
async function columnHeaderWords(
  page: DecodedPage,
  boxes: readonly Box[],
  labels: readonly (string | null)[],
  ocr: OcrEngine,
): Promise<PageWord[]> {
  const tops = new Set<Box>();
  const unlabelled = boxes.filter((_, i) => labels[i] === null);
  for (const b of unlabelled) {
    const column = columnOf(b, unlabelled);
    if (column.length >= 2) tops.add(column[0]!);
  }
  const words: PageWord[] = [];
  for (const top of tops) {
    const h = top[3] - top[1];
    const cx = (top[0] + top[2]) / 2;
    // Narrower than a table column, so that its borders stay out.
    const region: Box = [cx - 2 * h, top[1] - HEADER_REACH * h, cx + 2 * h, top[1] - 4];
    const { image, origin } = cropPgm(page.rgb, page.width, page.height, region);
    for (const w of await ocr.words(image))
      words.push({
        text: w.text,
        box: [w.box[0] + origin[0], w.box[1] + origin[1], w.box[2] + origin[0], w.box[3] + origin[1]],
      });
  }
  return words;
}

export async function readPageText(
  page: DecodedPage,
  detections: readonly Detection[],
  mode: Exclude<TextMode, 'off'>,
  ocr: () => Promise<OcrEngine>,
): Promise<PageText> {
  const started = performance.now();
  const layer = mode === 'ocr' ? [] : (page.words ?? []);
  let words: PageWord[] = layer;
  let info: Omit<TextInfo, 'ms'> = { source: layer.length ? 'pdf' : 'none' };
  if (!layer.length && mode !== 'pdf' && detections.length) {
    let engine: OcrEngine | undefined;
    try {
      engine = await ocr();
      words = await ocrWords(page, detections, engine);
      const first = assignText(
        detections.map((d) => d.box),
        words,
      ).perBox.map((b) => b.label);
      words = [
        ...words,
        ...(await columnHeaderWords(
          page,
          detections.map((d) => d.box),
          first,
          engine,
        )),
      ];
      info = { source: 'ocr', lang: engine.lang };
    } catch (err) {
      info = {
        source: 'none',
        ...(engine ? { lang: engine.lang } : {}),
        error: err instanceof Error ? err.message : String(err),
      };
    }
  }
  const { perBox, groups } = assignText(
    detections.map((d) => d.box),
    words,
  );
  return {
    detections: detections.map((d, i) => ({ ...d, ...perBox[i]! })),
    groups: groups.map((g) => ({
      id: g.id,
      question: g.question,
      options: g.members.map((i) => ({
        label: perBox[i]!.label,
        state: detections[i]!.class,
        box: detections[i]!.box,
      })),
    })),
    text: { ...info, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}
