// `checkbox-detector eval <dataset>`: score the detector as users get it (class-agnostic NMS) on a YOLO dataset.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeImage, DEFAULT_CONF, Detector } from '../src-core/index.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  DETECTOR_OPTIONS,
  parseDetectorOptions,
  parseUnit,
  reportError,
  UsageError,
  type Io,
} from './common.js';
import { apPerClass, metricsAtConf, recallBySize, type ImageEval, type SizeRecall } from './metrics.js';
import { evalText, formatTextScores } from './text-eval.js';
import { parseTextOptions } from './text-options.js';
import { listDataset, readYoloLabels } from './yolo-dataset.js';

/** Ultralytics validates at conf 0.001: AP needs the whole precision-recall curve. */
const AP_CONF_FLOOR = 0.001;

export const EVAL_USAGE = `Usage: checkbox-detector eval [options] <dataset>

Score the model on a YOLO-format dataset (<dataset>/images and <dataset>/labels):
per-class AP50 and AP50-95, mAP50, mAP50-95 (Ultralytics' 101-point interpolation), and at --conf the
class-agnostic precision and recall (IoU >= 0.5), recall by box side, and the state accuracy of the matched boxes.

Options:
  --conf <0..1>        threshold for precision, recall and state accuracy (default ${DEFAULT_CONF})
  --iou <0..1>         NMS IoU threshold (default 0.7)
  --model <file.onnx>  model to score (default: the bundled model, or $CHECKBOX_MODEL)
  --threads <n>        inference threads
  --dpi <n>            PDF render resolution (default 200)
  --tiling <mode>      tiled inference on big pages: auto (default), on or off
  --sweep <c,c,...>    also precision, recall and state accuracy at each of these thresholds (choosing a
                       default conf), from the same one run
  --json               print the report as JSON
  --text               score the label and question of every box instead, on a set written by
                       npm run fixtures:text (<dataset>/truth.json): PDFs by their text layer, images by OCR
  --lang <codes>       OCR language(s) for --text (default eng)
  -h, --help           show this help
`;

export interface EvalReport {
  dataset: string;
  model: { name: string; version: string };
  images: number;
  failedImages: number;
  classes: { name: string; boxes: number; ap50: number; ap50_95: number }[];
  map50: number;
  map50_95: number;
  atConf: ReturnType<typeof metricsAtConf>;
  /** The same at each --sweep threshold (empty without it). */
  sweep: ReturnType<typeof metricsAtConf>[];
  /** Recall at --conf per class of truth box side (square root of the area, image pixels). */
  recallBySize: SizeRecall[];
}

const f3 = (v: number): string => v.toFixed(3);

export function formatReport(r: EvalReport): string {
  const lines = [
    `dataset ${r.dataset}: ${r.images} images${r.failedImages ? ` (${r.failedImages} failed)` : ''}, model ${r.model.name} (${r.model.version})`,
    `${'class'.padEnd(10)}${'boxes'.padStart(7)}${'AP50'.padStart(8)}${'AP50-95'.padStart(9)}`,
    ...r.classes.map(
      (c) =>
        `${c.name.padEnd(10)}${String(c.boxes).padStart(7)}${f3(c.ap50).padStart(8)}${f3(c.ap50_95).padStart(9)}`,
    ),
    `${'all'.padEnd(10)}${String(r.atConf.truth).padStart(7)}${f3(r.map50).padStart(8)}${f3(r.map50_95).padStart(9)}`,
    ...[r.atConf, ...r.sweep].map(
      (m) =>
        `at conf ${m.conf}: precision ${f3(m.precision)}, recall ${f3(m.recall)}, ` +
        `state accuracy ${f3(m.stateAccuracy)} (${m.matched} matched of ${m.truth} boxes, ${m.predictions} predicted)`,
    ),
    `recall by box side: ` +
      r.recallBySize
        .map((b) => `${b.max === null ? `>=${b.min}` : `${b.min}-${b.max}`} px ${f3(b.recall)} (${b.truth})`)
        .join(', '),
  ];
  return lines.join('\n') + '\n';
}

export async function evalCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...DETECTOR_OPTIONS,
      json: { type: 'boolean', default: false },
      text: { type: 'boolean', default: false },
      sweep: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(EVAL_USAGE);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one dataset folder');
  const dataset = positionals[0]!;
  const { conf, iou, threads, dpi, tiling } = parseDetectorOptions(values);
  const sweep = (values.sweep?.split(',') ?? []).map((c) => parseUnit('sweep', c.trim(), conf));
  if (values.text) {
    parseTextOptions('auto', values.lang, 'auto');
    const scores = await evalText(dataset, { modelPath: values.model, threads, conf, lang: values.lang });
    io.stdout(values.json ? JSON.stringify(scores, null, 2) + '\n' : formatTextScores(dataset, scores));
    return EXIT_OK;
  }
  const items = await listDataset(dataset);
  if (items.length === 0) throw new UsageError(`${dataset}/images holds no images`);

  let detector: Detector;
  try {
    detector = await Detector.create({ modelPath: values.model, threads });
  } catch (err) {
    reportError(io, values.model ?? 'model', err);
    return EXIT_FAILED;
  }
  const evals: ImageEval[] = [];
  let failed = 0;
  try {
    for (const [i, item] of items.entries()) {
      if (items.length > 1)
        io.stderr(io.stderrIsTty ? `\r\x1b[K[${i + 1}/${items.length}] ${item.image}` : '');
      try {
        // A dataset image is one page: score its first.
        const [page] = await decodeImage(await readFile(item.image), { dpi, pages: [1] });
        const result = await detector.detectPage(page!, { conf: AP_CONF_FLOOR, iou, tiling });
        const classIndex = new Map(detector.info.classes.map((c, k) => [c, k]));
        evals.push({
          truth: await readYoloLabels(item, page!.width, page!.height),
          predictions: result.detections.map((d) => ({
            classId: classIndex.get(d.class) ?? -1,
            score: d.confidence,
            box: d.box,
          })),
        });
      } catch (err) {
        failed++;
        if (io.stderrIsTty) io.stderr('\r\x1b[K');
        reportError(io, item.image, err);
      }
    }
  } finally {
    if (io.stderrIsTty) io.stderr('\r\x1b[K');
    await detector.dispose();
  }

  const perClass = apPerClass(evals);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);
  const report: EvalReport = {
    dataset,
    model: { name: detector.info.name, version: detector.info.version },
    images: evals.length,
    failedImages: failed,
    classes: perClass.map((c) => ({
      name: detector.info.classes[c.classId] ?? String(c.classId),
      boxes: c.truth,
      ap50: c.ap50,
      ap50_95: c.ap50_95,
    })),
    map50: mean(perClass.map((c) => c.ap50)),
    map50_95: mean(perClass.map((c) => c.ap50_95)),
    atConf: metricsAtConf(evals, conf),
    sweep: sweep.map((c) => metricsAtConf(evals, c)),
    recallBySize: recallBySize(evals, conf),
  };
  io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  return failed ? EXIT_FAILED : EXIT_OK;
}
