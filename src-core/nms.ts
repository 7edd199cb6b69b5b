// Candidate decoding and non-maximum suppression, as Ultralytics' non_max_suppression does it, except that
// suppression is class-agnostic: a checkbox is one object, so the more confident state wins.
import type { Box } from '../src-shared/result.js';

export interface Candidate {
  box: Box;
  score: number;
  classId: number;
  /** Every class's score for this box, where the head gives them (dense heads): the margin between states. */
  scores?: number[];
}

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy NMS over all classes: highest score first, drop every later box overlapping a kept one by more than
 * `iouThreshold`. Returns at most `maxDet` candidates, best first.
 */
export function nms(candidates: readonly Candidate[], iouThreshold: number, maxDet = Infinity): Candidate[] {
  // Stable sort keeps the model's anchor order among equal scores, like torchvision.
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= maxDet) break;
    if (kept.every((k) => iou(k.box, c.box) <= iouThreshold)) kept.push(c);
  }
  return kept;
}

/**
 * Candidates from a YOLOv8/YOLO11 head: `data` is [4 + nc, n] row-major (cx, cy, w, h, then sigmoided class
 * scores, no objectness). A candidate takes its best class and must score above `conf`.
 */
export function decodeDenseOutput(data: Float32Array, nc: number, n: number, conf: number): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < nc; c++) {
      const s = data[(4 + c) * n + i]!;
      if (s > score) {
        score = s;
        best = c;
      }
    }
    if (!(score > conf)) continue;
    const cx = data[i]!;
    const cy = data[n + i]!;
    const hw = data[2 * n + i]! / 2;
    const hh = data[3 * n + i]! / 2;
    const scores = Array.from({ length: nc }, (_, c) => data[(4 + c) * n + i]!);
    out.push({ box: [cx - hw, cy - hh, cx + hw, cy + hh], score, classId: best, scores });
  }
  return out;
}

/** Candidates from an end-to-end head: `data` is [n, 6] row-major (x1, y1, x2, y2, score, class). */
export function decodeEnd2EndOutput(data: Float32Array, n: number, conf: number): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const r = i * 6;
    const score = data[r + 4]!;
    if (!(score > conf)) continue;
    out.push({
      box: [data[r]!, data[r + 1]!, data[r + 2]!, data[r + 3]!],
      score,
      classId: Math.round(data[r + 5]!),
    });
  }
  return out;
}
