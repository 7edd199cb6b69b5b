// The answers on a page, question by question: the groups as the boxes' own label, question and group say
// (after a person's edits too), and one CSV row per box for a spreadsheet: `detect --format answers` and the
// app's answers export write the same rows.
import { csvRow } from './csv.js';
import type { Detection, DetectionResult, Group } from './result.js';

export const ANSWERS_HEADER = 'source,page,question,option,state,confidence';

/**
 * The groups of these boxes, in the order of each group's first box, its options in the boxes' order; a group's
 * question is its first box's. Boxes without a group are in none.
 */
export function groupsOf(detections: readonly Detection[]): Group[] {
  const groups = new Map<number, Group>();
  for (const d of detections) {
    if (d.group === undefined) continue;
    let g = groups.get(d.group);
    if (!g) groups.set(d.group, (g = { id: d.group, question: d.question ?? null, options: [] }));
    g.options.push({ label: d.label ?? null, state: d.class, box: d.box });
  }
  return [...groups.values()];
}

/** A page with new detections and the groups they make; a page that never had text keeps none. */
export function withDetections(result: DetectionResult, detections: Detection[]): DetectionResult {
  const grouped = result.groups !== undefined || detections.some((d) => d.group !== undefined);
  return { ...result, detections, ...(grouped ? { groups: groupsOf(detections) } : {}) };
}

/** The next free group id on a page. */
export function newGroupId(detections: readonly Detection[]): number {
  return Math.max(0, ...detections.map((d) => d.group ?? 0)) + 1;
}

/**
 * One row per box: its group's question, its option label, state and confidence; group by group as the page
 * lists them, then any box in no group (a box a person drew, or a page read without text) with its own text.
 */
export function answerRows(result: DetectionResult, source = result.image.source ?? ''): string[] {
  const { page } = result.image;
  const confidence = new Map(result.detections.map((d) => [d.box.join(','), d.confidence]));
  const grouped = (result.groups ?? []).flatMap((g) =>
    g.options.map((o) =>
      csvRow([source, page, g.question ?? '', o.label ?? '', o.state, confidence.get(o.box.join(',')) ?? '']),
    ),
  );
  const alone = result.detections
    .filter((d) => d.group === undefined)
    .map((d) => csvRow([source, page, d.question ?? '', d.label ?? '', d.class, d.confidence]));
  return [...grouped, ...alone];
}
