// The CSV files the project writes — the CLI's `--format csv|answers`, the app's and the batch's
// exports — in two layouts defined once here. Cells are escaped against formula injection as OWASP
// advises: a text cell a spreadsheet would read as a formula (starting with = + - @, tab or carriage
// return) gets a leading ' and is quoted; quotes double; commas and newlines quote.
import type { Detection, DetectionResult } from './result.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell. Numbers are written as they are (a negative number is data, not a formula). */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return text !== value || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: readonly (string | number)[]): string => cells.map(csvCell).join(',');

export type ReviewState = NonNullable<Detection['review']>;

export function reviewOf(d: Detection): ReviewState {
  return d.review ?? (d.corrected ? 'corrected' : 'unreviewed');
}

/** One row per box. `source` names the file as the user knows it; `path` keys the rows (two
 *  page-1.png from different folders stay apart). */
export const DETECTIONS_CSV_HEADER =
  'source,page,width,height,state,confidence,x1,y1,x2,y2,corrected,review,label,question,group,path';

export function detectionRows(result: DetectionResult, source = result.image.source ?? '', path = source): string[] {
  const { page, width, height } = result.image;
  const px = (n: number) => Math.round(n * 10) / 10;
  return result.detections.map((d) =>
    csvRow([
      source,
      page,
      width,
      height,
      d.class,
      d.confidence.toFixed(4),
      ...d.box.map(px),
      d.corrected === true ? 'true' : 'false',
      reviewOf(d),
      d.label ?? '',
      d.question ?? '',
      d.group ?? '',
      path,
    ]),
  );
}

/** One row per box, question by question, for a spreadsheet: what was asked and what was ticked. */
export const ANSWERS_CSV_HEADER = 'source,page,question,option,state,confidence';

export function answerRows(result: DetectionResult, source = result.image.source ?? ''): string[] {
  const confidence = new Map(result.detections.map((d) => [d.box.join(','), d.confidence.toFixed(4)]));
  return (result.groups ?? []).flatMap((g) =>
    g.options.map((o) =>
      csvRow([source, result.image.page, g.question ?? '', o.label ?? '', o.state, confidence.get(o.box.join(',')) ?? '']),
    ),
  );
}
