// Exports for a page, a document or the whole batch: the annotated image at full resolution
// (PNG/JPEG, drawn by the core), JSON results, one CSV row per checkbox, and YOLO label files for
// fine-tuning; a batch also gets a summary. Every file is written to a temp name and renamed, so none
// is ever half-written.
import { join, parse } from 'node:path';
import { readingOrder } from '../../src-shared/reading-order.js';
import { countDetections, passesConf, type Detection, type DetectionResult } from '../../src-shared/result.js';
import { CheckboxError } from '../../src-shared/errors.js';
import { DETECTIONS_CSV_HEADER, detectionRows, reviewOf } from '../../src-shared/csv.js';
import type { ExportFormat, ExportOutcome, ExportRequest } from '../../src-shared/contract.js';
import type { Doc } from './documents.js';
import type { PageDrawing } from '../../src-core/worker-protocol.js';
import { writeFileAtomic } from '../../src-core/files.js';

export interface PageRenderer {
  /** Each page drawn in each format ('page': the page alone), per page in order, from one decode of the file. */
  draw(doc: Doc, pages: PageDrawing[]): Promise<Uint8Array[][]>;
}

/**
 * What an export contains: detections at or above the chosen conf plus every corrected one, in reading
 * order, each with its review state spelled out.
 */
export function filterResult(result: DetectionResult, conf: number): DetectionResult {
  const kept = result.detections.filter((d) => passesConf(d, conf));
  const detections = readingOrder(kept).map((i) => ({ ...kept[i]!, review: reviewOf(kept[i]!) }));
  return { ...result, detections, counts: countDetections(detections, result.model.classes) };
}

/** YOLO label lines: class index, then centre x, centre y, width, height normalised to the page. */
export function yoloLabels(result: DetectionResult): string {
  const { width, height } = result.image;
  const classes = result.model.classes;
  return result.detections
    .map((d) => {
      const cls = classes.indexOf(d.class);
      const [x1, y1, x2, y2] = d.box;
      const f = (n: number) => n.toFixed(6);
      return `${cls} ${f((x1 + x2) / 2 / width)} ${f((y1 + y2) / 2 / height)} ${f((x2 - x1) / width)} ${f((y2 - y1) / height)}`;
    })
    .join('\n');
}

/** The batch at a glance: files, pages, boxes per state and review state, and what failed and why. */
export function batchSummary(targets: Target[], docs: Doc[]) {
  const results = targets.flatMap((t) => t.results);
  const boxes = results.flatMap((r) => r.detections);
  const tally = (key: (d: Detection) => string) =>
    boxes.reduce<Record<string, number>>((acc, d) => ({ ...acc, [key(d)]: (acc[key(d)] ?? 0) + 1 }), {});
  const unfinished = docs.filter((d) => d.status !== 'done');
  return {
    files: docs.length,
    exported: targets.length,
    pages: results.length,
    boxes: { total: boxes.length, byState: tally((d) => d.class), byReview: tally(reviewOf) },
    failures: unfinished.map((d) => ({
      file: d.name,
      path: d.path,
      status: d.status,
      message: d.error?.message ?? (d.status === 'cancelled' ? 'Detection was cancelled.' : 'Not finished.'),
    })),
  };
}

interface Target {
  doc: Doc;
  stem: string;
  results: DetectionResult[];
}

export class ExportService {
  constructor(private readonly pages: PageRenderer) {}

  async export(req: ExportRequest, docs: Doc[], dir: string): Promise<ExportOutcome> {
    const targets = this.targets(req, docs);
    const files: string[] = [];
    const write = async (name: string, data: Uint8Array | string) => {
      const path = join(dir, name);
      await writeFileAtomic(path, data);
      files.push(path);
    };
    const formats = new Set<ExportFormat>(req.formats);
    for (const t of targets) {
      const multiPage = t.doc.results !== null && t.doc.results.length > 1;
      const pageStem = (r: DetectionResult) => (multiPage ? `${t.stem}_p${r.image.page}` : t.stem);
      if (formats.has('json')) {
        const body = req.scope === 'page' ? t.results[0] : { source: t.doc.name, results: t.results };
        await write(
          `${req.scope === 'page' ? pageStem(t.results[0]!) : t.stem}.json`,
          JSON.stringify(body, null, 2),
        );
      }
      // Every image of the document's pages in one request: the file is decoded once for the export.
      const drawn = (['png', 'jpeg', 'yolo'] as const).filter((f) => formats.has(f));
      const images = drawn.length
        ? await this.pages.draw(
            t.doc,
            t.results.map((result) => ({ result, formats: drawn.map((f) => (f === 'yolo' ? 'page' : f)) })),
          )
        : [];
      const image = (page: number, format: (typeof drawn)[number]) => images[page]![drawn.indexOf(format)]!;
      for (const format of ['png', 'jpeg'] as const) {
        if (!formats.has(format)) continue;
        for (const [i, r] of t.results.entries()) {
          await write(`${pageStem(r)}.annotated.${format === 'png' ? 'png' : 'jpg'}`, image(i, format));
        }
      }
      if (formats.has('yolo')) {
        for (const [i, r] of t.results.entries()) {
          await write(join('yolo', 'images', `${pageStem(r)}.png`), image(i, 'yolo'));
          await write(join('yolo', 'labels', `${pageStem(r)}.txt`), yoloLabels(r) + '\n');
        }
      }
    }
    if (formats.has('yolo')) {
      const classes = targets[0]?.results[0]?.model.classes ?? ['empty', 'filled'];
      await write(join('yolo', 'classes.txt'), classes.join('\n') + '\n');
    }
    if (formats.has('csv')) {
      const rows = targets.flatMap((t) => t.results.flatMap((r) => detectionRows(r, t.doc.name, t.doc.path)));
      const name =
        req.scope === 'batch' ? 'batch' : targets[0]!.stem + (req.scope === 'page' ? `_p${req.page}` : '');
      await write(`${name}.csv`, [DETECTIONS_CSV_HEADER, ...rows].join('\n') + '\n');
    }
    if (req.scope === 'batch')
      await write('batch-summary.json', JSON.stringify(batchSummary(targets, docs), null, 2));
    return { dir, files };
  }

  private targets(req: ExportRequest, docs: Doc[]): Target[] {
    const chosen =
      req.scope === 'batch' ? docs.filter((d) => d.results) : docs.filter((d) => d.id === req.docId);
    if (chosen.length === 0)
      throw new CheckboxError('invalid_argument', 'There are no results to export yet.');
    const used = new Map<string, number>();
    return chosen.map((doc) => {
      if (!doc.results) throw new CheckboxError('invalid_argument', `“${doc.name}” has no results yet.`);
      const base = parse(doc.name).name || 'page';
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      const pages = req.scope === 'page' ? doc.results.filter((r) => r.image.page === req.page) : doc.results;
      if (pages.length === 0) throw new CheckboxError('invalid_argument', `Page ${req.page} does not exist.`);
      return {
        doc,
        stem: n === 0 ? base : `${base}-${n + 1}`,
        results: pages.map((r) => filterResult(r, req.conf)),
      };
    });
  }
}
