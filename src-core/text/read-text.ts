// Reads the text of a page's boxes: words from the PDF text layer or OCR (by mode), then the layout's labels,
// questions and groups merged into the detections. A page whose text cannot be read keeps every box.
import { performance } from 'node:perf_hooks';
import { CheckboxError } from '../../src-shared/errors.js';
import type { DecodedPage } from '../image.js';
import { DEFAULT_CONF, type Detection, type Group, type TextInfo } from '../../src-shared/result.js';
import { greyImage } from './grey.js';
import { assignText } from './layout.js';
import type { OcrEngine } from './ocr.js';
import { runSheets, wordsFromSheet } from './run-sheet.js';
import { textRuns } from './text-runs.js';
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

/** OCR of the runs of text around the boxes, in one call per OCR worker; none when the page has no text near its
 *  boxes. */
async function ocrWords(
  page: DecodedPage,
  detections: readonly Detection[],
  ocr: OcrEngine,
): Promise<PageWord[]> {
  const grey = greyImage(page.rgb, page.width, page.height);
  const runs = textRuns(
    grey,
    detections.map((d) => d.box),
  );
  if (!runs.length) return [];
  const sheets = runSheets(grey, runs, ocr.parallel);
  const words = await ocr.words(sheets.map((s) => s.image));
  return sheets.flatMap((sheet, i) => wordsFromSheet(words[i]!, sheet));
}

export async function readPageText(
  page: DecodedPage,
  detections: readonly Detection[],
  mode: Exclude<TextMode, 'off'>,
  ocr: () => Promise<OcrEngine>,
): Promise<PageText> {
  const started = performance.now();
  // Text goes to the boxes shown by default: below DEFAULT_CONF are mostly letters and icons taken for boxes
  // (kept for a lowered threshold), which would split the lines of text and take the real boxes' labels.
  const sure = detections.filter((d) => d.confidence >= DEFAULT_CONF);
  const layer = mode === 'ocr' ? [] : (page.words ?? []);
  let words: PageWord[] = layer;
  let info: Omit<TextInfo, 'ms'> = { source: layer.length ? 'pdf' : 'none' };
  if (!layer.length && mode !== 'pdf' && sure.length) {
    let engine: OcrEngine | undefined;
    try {
      engine = await ocr();
      words = await ocrWords(page, sure, engine);
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
    sure.map((d) => d.box),
    words,
  );
  // The others stand alone, as a box with no text beside it does.
  const ordered = [...sure, ...detections.filter((d) => !sure.includes(d))];
  for (let i = sure.length; i < ordered.length; i++) {
    const id = groups.length + 1;
    groups.push({ id, question: null, members: [i] });
    perBox.push({ label: null, question: null, group: id });
  }
  const textOf = new Map(ordered.map((d, i) => [d, perBox[i]!]));
  return {
    detections: detections.map((d) => ({ ...d, ...textOf.get(d)! })),
    groups: groups.map((g) => ({
      id: g.id,
      question: g.question,
      options: g.members.map((i) => ({
        label: perBox[i]!.label,
        state: ordered[i]!.class,
        box: ordered[i]!.box,
      })),
    })),
    text: { ...info, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}
