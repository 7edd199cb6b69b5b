// The fixture truth written by scripts/fixtures/make-fixtures.ts, and the score of a result against truth boxes.
import { readFileSync } from 'node:fs';
import type { TruthPage } from '../../scripts/fixtures/form-page.js';
import { metricsAtConf } from '../../src-cli/metrics.js';
import type { Box, DetectionResult } from '../../src-core/index.js';
import { fixture } from './paths.js';

export type { TruthPage };

export const truth = JSON.parse(readFileSync(fixture('truth.json'), 'utf8')) as {
  pdfDpi: number;
  files: Record<string, TruthPage[]>;
};

/** Every detection of `result` against the truth boxes, class-agnostic matching at IoU >= 0.5 as `eval` scores. */
export function scoreResult(
  result: DetectionResult,
  boxes: readonly { class: string; box: Box }[],
  classes: readonly string[],
) {
  return metricsAtConf(
    [
      {
        truth: boxes.map((b) => ({ classId: classes.indexOf(b.class), box: b.box })),
        predictions: result.detections.map((d) => ({
          classId: classes.indexOf(d.class),
          score: d.confidence,
          box: d.box,
        })),
      },
    ],
    0,
  );
}
