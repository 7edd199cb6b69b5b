// `--format answers`: one CSV row per box, question by question, for a spreadsheet.
import { csvRow, type DetectionResult } from '../src-core/index.js';

export const ANSWERS_HEADER = 'source,page,question,option,state,confidence';

export function answerRows(result: DetectionResult): string[] {
  const { source = '', page } = result.image;
  const confidence = new Map(result.detections.map((d) => [d.box.join(','), d.confidence]));
  return (result.groups ?? []).flatMap((g) =>
    g.options.map((o) =>
      csvRow([source, page, g.question ?? '', o.label ?? '', o.state, confidence.get(o.box.join(',')) ?? '']),
    ),
  );
}
