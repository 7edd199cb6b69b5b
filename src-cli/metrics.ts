// Detection metrics as Ultralytics computes them (DetectionValidator.match_predictions, ap_per_class and
// compute_ap with 101-point interpolation), plus the product's own numbers at one confidence threshold:
// class-agnostic precision/recall at IoU 0.5 and, of the matched boxes, the fraction with the right state.
import {
  type Box,
  iou,
} from '../src-core/index.js';

export const IOU_THRESHOLDS = Array.from({ length: 10 }, (_, i) => 0.5 + i * 0.05);

export interface LabeledBox {
  classId: number;
  box: Box;
}
export interface ScoredBox extends LabeledBox {
  score: number;
}
export interface ImageEval {
  truth: LabeledBox[];
  predictions: ScoredBox[];
}

/** For each prediction, whether it is a true positive at each IoU threshold (Ultralytics' matching). */
export function matchPredictions(truth: readonly LabeledBox[], preds: readonly ScoredBox[]): boolean[][] {
  const correct = preds.map(() => IOU_THRESHOLDS.map(() => false));
  const ious = truth.map((t) => preds.map((p) => (p.classId === t.classId ? iou(t.box, p.box) : 0)));
  IOU_THRESHOLDS.forEach((threshold, ti) => {
    let matches: { g: number; p: number; v: number }[] = [];
    truth.forEach((_, g) =>
      preds.forEach((_, p) => {
        const v = ious[g]![p]!;
        if (v >= threshold) matches.push({ g, p, v });
      }),
    );
    // Highest IoU first; one truth per prediction (kept in prediction order), then one prediction per truth.
    matches.sort((a, b) => b.v - a.v);
    const byPred = new Map<number, (typeof matches)[number]>();
    for (const m of matches) if (!byPred.has(m.p)) byPred.set(m.p, m);
    matches = [...byPred.values()].sort((a, b) => a.p - b.p);
    const byTruth = new Map<number, (typeof matches)[number]>();
    for (const m of matches) if (!byTruth.has(m.g)) byTruth.set(m.g, m);
    for (const m of byTruth.values()) correct[m.p]![ti] = true;
  });
  return correct;
}

/** numpy.interp for increasing xp. */
function interp(x: number, xp: readonly number[], fp: readonly number[]): number {
  if (x < xp[0]!) return fp[0]!;
  if (x >= xp[xp.length - 1]!) return fp[fp.length - 1]!;
  let j = 0;
  while (j + 1 < xp.length && xp[j + 1]! <= x) j++;
  return fp[j]! + ((fp[j + 1]! - fp[j]!) * (x - xp[j]!)) / (xp[j + 1]! - xp[j]!);
}

/**
 * Average precision as Ultralytics' compute_ap: sentinels that drop precision to 0 right after the last recall,
 * the precision envelope, 101 recall samples, trapezoid rule.
 */
export function computeAp(recall: readonly number[], precision: readonly number[]): number {
  const mrec = [0, ...recall, recall.length ? recall[recall.length - 1]! : 1, 1];
  const mpre = [1, ...precision, 0, 0];
  for (let i = mpre.length - 2; i >= 0; i--) mpre[i] = Math.max(mpre[i]!, mpre[i + 1]!);
  const samples = Array.from({ length: 101 }, (_, i) => interp(i / 100, mrec, mpre));
  let area = 0;
  for (let i = 1; i < samples.length; i++) area += ((samples[i]! + samples[i - 1]!) / 2) * 0.01;
  return area;
}

export interface ClassMetrics {
  classId: number;
  truth: number;
  ap50: number;
  ap50_95: number;
}

/** Per-class AP at each IoU threshold, for classes that occur in the truth. */
export function apPerClass(images: readonly ImageEval[]): ClassMetrics[] {
  const rows: { score: number; classId: number; tp: boolean[] }[] = [];
  const truthCount = new Map<number, number>();
  for (const img of images) {
    const tp = matchPredictions(img.truth, img.predictions);
    img.predictions.forEach((p, i) => rows.push({ score: p.score, classId: p.classId, tp: tp[i]! }));
    for (const t of img.truth) truthCount.set(t.classId, (truthCount.get(t.classId) ?? 0) + 1);
  }
  rows.sort((a, b) => b.score - a.score);
  return [...truthCount.keys()]
    .sort((a, b) => a - b)
    .map((classId) => {
      const n = truthCount.get(classId)!;
      const mine = rows.filter((r) => r.classId === classId);
      const aps = IOU_THRESHOLDS.map((_, ti) => {
        if (mine.length === 0) return 0;
        let tpc = 0;
        const recall: number[] = [];
        const precision: number[] = [];
        mine.forEach((r, k) => {
          if (r.tp[ti]) tpc++;
          recall.push(tpc / (n + 1e-16));
          precision.push(tpc / (k + 1));
        });
        return computeAp(recall, precision);
      });
      return { classId, truth: n, ap50: aps[0]!, ap50_95: aps.reduce((s, v) => s + v, 0) / aps.length };
    });
}

export interface ThresholdMetrics {
  conf: number;
  truth: number;
  predictions: number;
  matched: number;
  precision: number;
  recall: number;
  /** Of the matched boxes, the fraction whose state (class) is right. */
  stateAccuracy: number;
}

/** Class-agnostic matching on one image at IoU >= iouThreshold, most confident prediction above conf first. */
function matchAtConf(
  img: ImageEval,
  conf: number,
  iouThreshold: number,
): { predictions: number; matched: { truth: number; rightState: boolean }[] } {
  const preds = img.predictions.filter((p) => p.score > conf).sort((a, b) => b.score - a.score);
  const taken = new Set<number>();
  const matched: { truth: number; rightState: boolean }[] = [];
  for (const p of preds) {
    let best = -1;
    let bestIou = iouThreshold;
    img.truth.forEach((t, g) => {
      if (taken.has(g)) return;
      const v = iou(t.box, p.box);
      if (v >= bestIou) {
        bestIou = v;
        best = g;
      }
    });
    if (best < 0) continue;
    taken.add(best);
    matched.push({ truth: best, rightState: img.truth[best]!.classId === p.classId });
  }
  return { predictions: preds.length, matched };
}

/** Class-agnostic matching at IoU >= 0.5, most confident prediction first, among predictions above conf. */
export function metricsAtConf(
  images: readonly ImageEval[],
  conf: number,
  iouThreshold = 0.5,
): ThresholdMetrics {
  let truth = 0;
  let predictions = 0;
  let matched = 0;
  let rightState = 0;
  for (const img of images) {
    const m = matchAtConf(img, conf, iouThreshold);
    truth += img.truth.length;
    predictions += m.predictions;
    matched += m.matched.length;
    rightState += m.matched.filter((x) => x.rightState).length;
  }
  return {
    conf,
    truth,
    predictions,
    matched,
    precision: predictions ? matched / predictions : 0,
    recall: truth ? matched / truth : 0,
    stateAccuracy: matched ? rightState / matched : 0,
  };
}

/** Box size classes for recall by size: the side of a truth box (square root of its area) in image pixels. */
export const SIZE_EDGES = [20, 28];

export interface SizeRecall {
  /** Sides in [min, max) pixels; max null: no upper bound. */
  min: number;
  max: number | null;
  truth: number;
  matched: number;
  recall: number;
}

/** Recall at conf (matched as metricsAtConf matches) per size class of the truth boxes. */
export function recallBySize(
  images: readonly ImageEval[],
  conf: number,
  edges: readonly number[] = SIZE_EDGES,
  iouThreshold = 0.5,
): SizeRecall[] {
  const bounds = [0, ...edges];
  const rows: SizeRecall[] = bounds.map((min, i) => ({
    min,
    max: bounds[i + 1] ?? null,
    truth: 0,
    matched: 0,
    recall: 0,
  }));
  const rowOf = (b: LabeledBox): SizeRecall => {
    const side = Math.sqrt((b.box[2] - b.box[0]) * (b.box[3] - b.box[1]));
    return rows.find((r) => r.max === null || side < r.max)!;
  };
  for (const img of images) {
    for (const t of img.truth) rowOf(t).truth++;
    for (const m of matchAtConf(img, conf, iouThreshold).matched) rowOf(img.truth[m.truth]!).matched++;
  }
  for (const r of rows) r.recall = r.truth ? r.matched / r.truth : 0;
  return rows;
}
