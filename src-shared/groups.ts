// A page's groups (the questions and their options) as its boxes' own label, question and group say, so that a
// person's edits in the app (a label, a question, a box moved to another group) never leave them stale.
import type { Detection, DetectionResult, Group } from './result.js';

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
