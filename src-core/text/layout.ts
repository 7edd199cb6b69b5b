// Which text belongs to which checkbox. Words become segments (runs of words on one line, split at wide gaps
// and at boxes); each box takes the segment next to it as its option label (on the side its row uses: right,
// or left in right-aligned rows), and boxes on one line — or in one column of single options — form a group
// whose question is the free text before the first option on the line, else the line just above. Boxes with
// no text beside them are table cells (two or more in a column): their label is the column header centred
// above the column, their question the row header.
import type { Box } from '../../src-shared/result.js';
import { boxHeight, centreX, centreY, overlapOf, type PageWord } from './words.js';

/** A gap wider than this many line heights ends a segment (a word space is about a third of one). */
const SEGMENT_GAP = 1.0;
/** A label starts within this many box heights of its box. */
const LABEL_GAP = 2.5;
/** A question above a group ends within this many box heights of the group's top. */
const ABOVE_GAP = 2.5;
/** A column header ends within this many box heights of its column's top box. */
const HEADER_GAP = 3;

interface Segment {
  text: string;
  box: Box;
  /** Taken as a label, a column header or a question. */
  used: boolean;
}

export interface BoxText {
  label: string | null;
  question: string | null;
  group: number;
}

export interface TextGroup {
  id: number;
  question: string | null;
  /** Indices of the group's boxes, in reading order. */
  members: number[];
}

const spanOf = (boxes: Box[]): Box => [
  Math.min(...boxes.map((b) => b[0])),
  Math.min(...boxes.map((b) => b[1])),
  Math.max(...boxes.map((b) => b[2])),
  Math.max(...boxes.map((b) => b[3])),
];

/** Clusters items into lines by vertical centre, top to bottom, each line left to right. */
function lines<T>(items: readonly T[], boxOf: (t: T) => Box): T[][] {
  const out: { cy: number; h: number; items: T[] }[] = [];
  for (const item of [...items].sort((a, b) => centreY(boxOf(a)) - centreY(boxOf(b)))) {
    const b = boxOf(item);
    const last = out.at(-1);
    if (last && Math.abs(centreY(b) - last.cy) < 0.5 * Math.max(last.h, boxHeight(b))) {
      last.items.push(item);
      last.h = Math.max(last.h, boxHeight(b));
    } else out.push({ cy: centreY(b), h: boxHeight(b), items: [item] });
  }
  return out.map((l) => l.items.sort((a, b) => boxOf(a)[0] - boxOf(b)[0]));
}

/** Words to segments: checkbox glyphs and punctuation-only OCR noise dropped, runs split at gaps and boxes. */
function segments(words: readonly PageWord[], boxes: readonly Box[]): Segment[] {
  const kept = words.filter(
    (w) => /[\p{L}\p{N}]/u.test(w.text) && !boxes.some((b) => overlapOf(w.box, b) > 0.3),
  );
  const out: Segment[] = [];
  for (const line of lines(kept, (w) => w.box)) {
    const h = Math.max(...line.map((w) => boxHeight(w.box)));
    let run: PageWord[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      out.push({ text: run.map((w) => w.text).join(' '), box: spanOf(run.map((w) => w.box)), used: false });
      run = [];
    };
    for (const w of line) {
      const prev = run.at(-1);
      const boxBetween =
        prev !== undefined &&
        boxes.some(
          (b) => b[0] >= prev.box[2] - 1 && b[2] <= w.box[0] + 1 && b[1] < w.box[3] && b[3] > w.box[1],
        );
      if (prev && (w.box[0] - prev.box[2] > SEGMENT_GAP * h || boxBetween)) flush();
      run.push(w);
    }
    flush();
  }
  return out;
}

/** Whether a segment sits on the line of a box (its centre within the box's height, with some slack). */
const onLineOf = (seg: Segment, b: Box): boolean => {
  const cy = centreY(seg.box);
  const slack = 0.3 * boxHeight(b);
  return cy >= b[1] - slack && cy <= b[3] + slack;
};

interface Neighbour {
  seg: Segment;
  gap: number;
}

/** The nearest segment on a box's line to its right (side 'right') or left, with no other box in between. */
function neighbour(
  b: Box,
  side: 'left' | 'right',
  segs: readonly Segment[],
  boxes: readonly Box[],
): Neighbour | null {
  let best: Neighbour | null = null;
  for (const seg of segs) {
    if (!onLineOf(seg, b)) continue;
    const gap = side === 'right' ? seg.box[0] - b[2] : b[0] - seg.box[2];
    if (gap < -0.2 * boxHeight(b) || (best && gap >= best.gap)) continue;
    const [lo, hi] = side === 'right' ? [b[2], seg.box[0]] : [seg.box[2], b[0]];
    const blocked = boxes.some(
      (o) => o !== b && o[0] >= lo - 1 && o[2] <= hi + 1 && onLineOf({ text: '', box: o, used: false }, b),
    );
    if (!blocked) best = { seg, gap };
  }
  return best;
}

/** The boxes of b's table column, top first: same centre, each within two box heights of the next (so that two
 *  tables one above the other are two columns). */
export function columnOf(b: Box, candidates: readonly Box[]): Box[] {
  const h = boxHeight(b);
  const same = candidates
    .filter((o) => Math.abs(centreX(o) - centreX(b)) < 0.6 * h)
    .sort((p, q) => p[1] - q[1]);
  const at = same.indexOf(b);
  let [first, last] = [at, at];
  while (first > 0 && same[first]![1] - same[first - 1]![3] < 2 * h) first--;
  while (last < same.length - 1 && same[last + 1]![1] - same[last]![3] < 2 * h) last++;
  return same.slice(first, last + 1);
}

const cleanQuestion = (s: string): string => s.replace(/\s*:$/, '');

export function assignText(
  boxes: readonly Box[],
  words: readonly PageWord[],
): { perBox: BoxText[]; groups: TextGroup[] } {
  const segs = segments(words, boxes);
  const labels: (string | null)[] = boxes.map(() => null);
  /** Boxes with no text beside them: table cells. */
  const cells = new Set<number>();
  const rows = lines(
    boxes.map((_, i) => i),
    (i) => boxes[i]!,
  );

  // Labels: each row reads on the side most of its boxes have text next to them.
  for (const row of rows) {
    const near = row.map((i) => {
      const max = LABEL_GAP * boxHeight(boxes[i]!);
      const r = neighbour(boxes[i]!, 'right', segs, boxes);
      const l = neighbour(boxes[i]!, 'left', segs, boxes);
      return { right: r && r.gap <= max ? r : null, left: l && l.gap <= max ? l : null };
    });
    const leftVotes = near.filter((n) => n.left && (!n.right || n.left.gap < n.right.gap)).length;
    const rightVotes = near.filter((n) => n.right && (!n.left || n.right.gap <= n.left.gap)).length;
    const side = leftVotes > rightVotes ? 'left' : 'right';
    row.forEach((i, k) => {
      const n = near[k]![side];
      if (n && !n.seg.used) {
        labels[i] = n.seg.text;
        n.seg.used = true;
      } else if (!near[k]!.left && !near[k]!.right) cells.add(i);
    });
  }

  // Table cells: the column header above the column's top cell.
  for (const i of cells) {
    const b = boxes[i]!;
    const h = boxHeight(b);
    const column = columnOf(
      b,
      [...cells].map((j) => boxes[j]!),
    );
    // A lone box without text is a label the reader missed, not a table.
    if (column.length < 2) continue;
    const top = column[0]![1];
    const header = segs
      .filter(
        (s) =>
          s.box[3] <= top + 0.1 * h &&
          top - s.box[3] <= HEADER_GAP * h &&
          Math.abs(centreX(s.box) - centreX(b)) < 2 * h,
      )
      .sort((s, t) => t.box[3] - s.box[3])[0];
    if (header) {
      labels[i] = header.text;
      header.used = true;
    }
  }

  // Groups: a row's labelled boxes, and its cells, each share a question.
  const perBox: BoxText[] = boxes.map(() => ({ label: null, question: null, group: 0 }));
  const groups: TextGroup[] = [];
  let previous: { group: TextGroup; box: Box; single: boolean } | null = null;
  for (const row of rows) {
    for (const members of [row.filter((i) => !cells.has(i)), row.filter((i) => cells.has(i))]) {
      if (members.length === 0) continue;
      const span = spanOf(members.map((i) => boxes[i]!));
      const h = Math.max(...members.map((i) => boxHeight(boxes[i]!)));
      const labelSegs = segs.filter(
        (s) => s.used && members.some((i) => labels[i] === s.text && onLineOf(s, boxes[i]!)),
      );
      const firstX = Math.min(span[0], ...labelSegs.map((s) => s.box[0]));
      const before = segs.filter((s) => !s.used && onLineOf(s, boxes[members[0]!]!) && s.box[2] <= firstX);
      let question: string | null = before.length ? before.map((s) => s.text).join(' ') : null;
      let group: TextGroup | null = null;
      if (question === null) {
        const lastX = Math.max(span[2], ...labelSegs.map((s) => s.box[2]));
        const above = segs
          .filter(
            (s) =>
              !s.used &&
              centreY(s.box) < span[1] &&
              span[1] - s.box[3] <= ABOVE_GAP * h &&
              s.box[2] > firstX - 2 * h &&
              s.box[0] < lastX,
          )
          .sort((s, t) => t.box[3] - s.box[3]);
        const textGap = above.length ? span[1] - above[0]!.box[3] : Infinity;
        const single = members.length === 1;
        if (
          previous &&
          previous.single &&
          single &&
          span[1] - previous.box[3] < textGap &&
          Math.abs(previous.box[0] - span[0]) < h
        ) {
          group = previous.group; // the next option of a one-per-line list
        } else if (above.length) {
          const line = above.filter(
            (s) => Math.abs(centreY(s.box) - centreY(above[0]!.box)) < 0.5 * boxHeight(above[0]!.box),
          );
          for (const s of line) s.used = true;
          question = line
            .sort((s, t) => s.box[0] - t.box[0])
            .map((s) => s.text)
            .join(' ');
        }
      }
      for (const s of before) s.used = true;
      if (!group) {
        group = {
          id: groups.length + 1,
          question: question === null ? null : cleanQuestion(question),
          members: [],
        };
        groups.push(group);
      }
      group.members.push(...members);
      previous = { group, box: span, single: members.length === 1 };
    }
  }
  for (const g of groups)
    for (const i of g.members) perBox[i] = { label: labels[i]!, question: g.question, group: g.id };
  return { perBox, groups };
}
