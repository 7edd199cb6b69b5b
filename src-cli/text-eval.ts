// `checkbox-detector eval --text <dataset>`: how often each box gets the right label and question, on a set
// written by `npm run fixtures:text` (truth.json: every box's label and question). PDF pages are read through
// their text layer, images through OCR (--text auto); a truth box the detector misses counts as wrong.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONF, Detector, type DetectionResult } from '../src-core/index.js';
import type { TruthPage } from '../scripts/fixtures/form-page.js';

/** A box found within this IoU of a truth box is that box. */
const MATCH_IOU = 0.5;

export interface TextScore {
  kind: 'text layer' | 'ocr';
  pages: number;
  boxes: number;
  found: number;
  labelAccuracy: number;
  questionAccuracy: number;
  /** Medians per page: detection (decode + model) and text reading. */
  detectMs: number;
  textMs: number;
}

/** Case, punctuation and spacing do not count: "Gender:" is "gender". */
export const normaliseText = (s: string | null | undefined): string | null =>
  s === null || s === undefined
    ? null
    : s
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim() || null;

function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};

/** Right labels and questions of one page: each truth box against the best-overlapping detection. */
export function scorePage(
  truth: TruthPage,
  result: DetectionResult,
): { found: number; labels: number; questions: number } {
  let [found, labels, questions] = [0, 0, 0];
  const taken = new Set<number>();
  for (const t of truth.boxes) {
    let best = -1;
    let bestIou = MATCH_IOU;
    result.detections.forEach((d, i) => {
      const v = iou(t.box, d.box);
      if (!taken.has(i) && v >= bestIou) [best, bestIou] = [i, v];
    });
    if (best < 0) continue;
    taken.add(best);
    found++;
    const d = result.detections[best]!;
    if (normaliseText(d.label) === normaliseText(t.label)) labels++;
    if (normaliseText(d.question) === normaliseText(t.question)) questions++;
  }
  return { found, labels, questions };
}

export async function evalText(
  dataset: string,
  opts: { modelPath?: string; threads?: number; conf?: number; lang?: string },
): Promise<TextScore[]> {
  const truth = JSON.parse(await readFile(path.join(dataset, 'truth.json'), 'utf8')) as {
    dpi: number;
    files: Record<string, TruthPage[]>;
  };
  const detector = await Detector.create({ modelPath: opts.modelPath, threads: opts.threads });
  const scores: TextScore[] = [];
  try {
    for (const kind of ['text layer', 'ocr'] as const) {
      const names = Object.keys(truth.files).filter(
        (n) => n.toLowerCase().endsWith('.pdf') === (kind === 'text layer'),
      );
      const tally = {
        pages: 0,
        boxes: 0,
        found: 0,
        labels: 0,
        questions: 0,
        detectMs: [] as number[],
        textMs: [] as number[],
      };
      for (const name of names) {
        const results = await detector.detectFile(await readFile(path.join(dataset, name)), {
          dpi: truth.dpi,
          conf: opts.conf ?? DEFAULT_CONF,
          text: 'auto',
          lang: opts.lang,
        });
        for (const result of results) {
          const page = truth.files[name]![result.image.page - 1]!;
          const s = scorePage(page, result);
          tally.pages++;
          tally.boxes += page.boxes.length;
          tally.found += s.found;
          tally.labels += s.labels;
          tally.questions += s.questions;
          tally.detectMs.push(result.timing.decodeMs + result.timing.inferMs);
          tally.textMs.push(result.text?.ms ?? 0);
        }
      }
      if (!tally.pages) continue;
      scores.push({
        kind,
        pages: tally.pages,
        boxes: tally.boxes,
        found: tally.found,
        labelAccuracy: tally.labels / tally.boxes,
        questionAccuracy: tally.questions / tally.boxes,
        detectMs: median(tally.detectMs),
        textMs: median(tally.textMs),
      });
    }
  } finally {
    await detector.dispose();
  }
  return scores;
}

export function formatTextScores(dataset: string, scores: readonly TextScore[]): string {
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const rows = scores.map(
    (s) =>
      `${s.kind.padEnd(11)}${String(s.pages).padStart(6)}${String(s.boxes).padStart(7)}${String(s.found).padStart(7)}` +
      `${pct(s.labelAccuracy).padStart(8)}${pct(s.questionAccuracy).padStart(10)}` +
      `${s.detectMs.toFixed(0).padStart(11)}${s.textMs.toFixed(0).padStart(9)}`,
  );
  return (
    [
      `dataset ${dataset}: label and question of every truth box (a missed box counts as wrong)`,
      `${'source'.padEnd(11)}${'pages'.padStart(6)}${'boxes'.padStart(7)}${'found'.padStart(7)}${'label'.padStart(8)}${'question'.padStart(10)}${'detect ms'.padStart(11)}${'text ms'.padStart(9)}`,
      ...rows,
    ].join('\n') + '\n'
  );
}
