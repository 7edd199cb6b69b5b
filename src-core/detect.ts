// The detector every surface uses: one onnxruntime session, created once and reused for every page.
import ort from 'onnxruntime-node';
import { performance } from 'node:perf_hooks';
import { CheckboxError } from '../src-shared/errors.js';
import { decodePages, type DecodedPage } from './image.js';
import { LetterboxWriter, letterboxGeometry, unletterboxBox, type LetterboxGeometry } from './letterbox.js';
import { defaultModelPath, loadModel, type LoadedModel, type ModelInfo } from './model.js';
import { decodeDenseOutput, decodeEnd2EndOutput, nms, type Candidate } from './nms.js';
import {
  countDetections,
  DEFAULT_CONF,
  SCHEMA_VERSION,
  type Detection,
  type DetectionResult,
} from '../src-shared/result.js';

export { DEFAULT_CONF };
import { OcrEngine } from './text/ocr.js';
import { DEFAULT_OCR_LANG } from './text/ocr-language.js';
import { checkTextMode, readPageText, wantsTextLayer, type TextMode } from './text/read-text.js';
import {
  cropRgb,
  EDGE_MARGIN,
  MERGE_IOU,
  TILE_CONF,
  tileGrid,
  TILING_MODES,
  tileToPage,
  touchesInnerEdge,
  wantsTiles,
  type TilingMode,
} from './tiling.js';

/** Ultralytics' default NMS IoU. */
export const DEFAULT_IOU = 0.7;
/** More than Ultralytics' 300: a dense form can hold several hundred boxes. */
export const DEFAULT_MAX_DET = 1000;

export interface DetectOptions {
  conf?: number;
  iou?: number;
  maxDet?: number;
  /** Also run the model on overlapping tiles, so that small boxes on big pages are seen larger: 'auto' (the
   *  default) does so for pages much larger than the model input, 'on' always, 'off' never. */
  tiling?: TilingMode;
  /** Read each box's label and question: off (the default), auto, pdf or ocr (src-core/text/read-text.ts). */
  text?: TextMode;
  /** OCR language(s), e.g. eng or eng+deu (default eng). */
  lang?: string;
  /** Decode time of the page, carried into the result's timing. */
  decodeMs?: number;
  source?: string;
}

/** A decoded page and what was found on it. */
export interface DetectedPage {
  page: DecodedPage;
  result: DetectionResult;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CheckboxError('cancelled', 'Cancelled.');
}

export interface DetectFileOptions extends Omit<DetectOptions, 'decodeMs'> {
  dpi?: number;
  maxPixels?: number;
  pages?: number[];
}

/** The model input for a page, written by `letterbox` (valid until its next call). */
export function modelInput(letterbox: LetterboxWriter, rgb: Uint8Array, geo: LetterboxGeometry): ort.Tensor {
  return new ort.Tensor('float32', letterbox.tensor(rgb, geo), [1, 3, geo.height, geo.width]);
}

function checkUnit(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new CheckboxError('invalid_argument', `${name} must be between 0 and 1, got ${value}`);
  }
  return value;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

function checkTiling(value: TilingMode | undefined): TilingMode {
  if (value === undefined) return 'auto';
  if (!TILING_MODES.includes(value)) {
    throw new CheckboxError(
      'invalid_argument',
      `tiling must be one of ${TILING_MODES.join(', ')}, got ${value}`,
    );
  }
  return value;
}

export class Detector {
  private disposed = false;
  /** onnxruntime runs one inference per session at a time; queue pages rather than interleave them. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Writes the model input, page after page into the same memory (inside the queue, so no two pages share it). */
  private readonly letterbox = new LetterboxWriter();
  /** OCR engines by language, started on the first page that needs one. */
  private readonly ocr = new Map<string, Promise<OcrEngine>>();

  /** A detector given one inference thread (a pool's worker: one per core) reads text on one OCR worker too, so
   *  a batch does not start more Tesseract threads than there are cores. */
  private constructor(
    private readonly model: LoadedModel,
    private readonly ocrWorkers?: number,
  ) {}

  static async create(opts: { modelPath?: string; threads?: number } = {}): Promise<Detector> {
    const threads = opts.threads;
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
      throw new CheckboxError('invalid_argument', `threads must be a positive integer, got ${threads}`);
    }
    const model = await loadModel(opts.modelPath ?? defaultModelPath(), { threads });
    return new Detector(model, threads === 1 ? 1 : undefined);
  }

  get info(): ModelInfo {
    return this.model.info;
  }

  async detectPage(page: DecodedPage, opts: DetectOptions = {}): Promise<DetectionResult> {
    if (this.disposed) throw new CheckboxError('internal', 'the detector was disposed');
    const conf = checkUnit('conf', opts.conf ?? DEFAULT_CONF);
    const iouThreshold = checkUnit('iou', opts.iou ?? DEFAULT_IOU);
    const tiling = checkTiling(opts.tiling);
    const textMode = checkTextMode(opts.text);
    const maxDet = opts.maxDet ?? DEFAULT_MAX_DET;
    const { info } = this.model;
    const started = performance.now();

    let kept = (await this.infer(page.rgb, page.width, page.height, conf, iouThreshold, maxDet)).found;
    if (wantsTiles(tiling, page.width, page.height, info.imgsz)) {
      const all = [...kept];
      const tileConf = Math.max(conf, TILE_CONF);
      for (const tile of tileGrid(page.width, page.height, info.imgsz)) {
        const rgb = cropRgb(page.rgb, page.width, tile);
        const { found, gain } = await this.infer(
          rgb,
          tile.width,
          tile.height,
          tileConf,
          iouThreshold,
          maxDet,
        );
        for (const c of found) {
          const box = tileToPage(c.box, tile);
          if (!touchesInnerEdge(box, tile, page.width, page.height, EDGE_MARGIN / gain))
            all.push({ ...c, box });
        }
      }
      // One merge over every pass: a box seen by the page and by tiles keeps its most confident state.
      kept = nms(all, Math.min(iouThreshold, MERGE_IOU), maxDet);
    }

    const detections: Detection[] = kept.map((c) => ({
      class: info.classes[c.classId] ?? String(c.classId),
      confidence: round4(c.score),
      box: c.box.map(round2) as Detection['box'],
      ...(c.scores && {
        scores: Object.fromEntries(c.scores.map((s, k) => [info.classes[k] ?? String(k), round4(s)])),
      }),
    }));
    const inferMs = performance.now() - started;
    const decodeMs = opts.decodeMs ?? 0;
    const result: DetectionResult = {
      schemaVersion: SCHEMA_VERSION,
      image: {
        width: page.width,
        height: page.height,
        page: page.page,
        pages: page.pages,
        ...(opts.source === undefined ? {} : { source: opts.source }),
      },
      model: { name: info.name, version: info.version, imgsz: info.imgsz, classes: info.classes },
      counts: countDetections(detections, info.classes),
      detections,
      timing: { decodeMs: round2(decodeMs), inferMs: round2(inferMs), totalMs: round2(decodeMs + inferMs) },
      engine: 'local',
    };
    if (textMode === 'off') return result;
    const text = await readPageText(page, detections, textMode, () => this.ocrEngine(opts.lang));
    const totalMs = round2(result.timing.totalMs + text.text.ms);
    return { ...result, ...text, timing: { ...result.timing, totalMs } };
  }

  private ocrEngine(lang = DEFAULT_OCR_LANG): Promise<OcrEngine> {
    let engine = this.ocr.get(lang);
    if (!engine) {
      engine = OcrEngine.create(lang, this.ocrWorkers);
      engine.catch(() => undefined); // a failed start is reported by each page that asked for it
      this.ocr.set(lang, engine);
    }
    return engine;
  }

  /**
   * One model pass over an image: letterbox, run, decode, NMS. Boxes in the image's pixels, best first, and the
   * gain (model-input pixels per image pixel).
   */
  private async infer(
    rgb: Uint8Array,
    width: number,
    height: number,
    conf: number,
    iouThreshold: number,
    maxDet: number,
  ): Promise<{ found: Candidate[]; gain: number }> {
    const { info } = this.model;
    const geo = letterboxGeometry(width, height, info.imgsz, info.rectInput ? info.stride : undefined);
    const run = this.queue.then(() => {
      const input = modelInput(this.letterbox, rgb, geo);
      return this.model.session.run({ [this.model.inputName]: input });
    });
    this.queue = run.catch(() => undefined);
    const outputs = await run;
    const output = outputs[this.model.outputName]!;
    const data = output.data as Float32Array;
    const dims = output.dims;
    const candidates = info.end2end
      ? decodeEnd2EndOutput(data, dims[1]!, conf)
      : decodeDenseOutput(data, info.classes.length, dims[2]!, conf);
    const kept = nms(candidates, iouThreshold, maxDet);
    for (const t of Object.values(outputs)) t.dispose();
    return {
      found: kept.map((c) => ({ ...c, box: unletterboxBox(c.box, geo) })),
      gain: geo.innerWidth / width,
    };
  }

  /**
   * The page loop every front door runs: decode a file (every page of a PDF or TIFF, or the pages asked for) and
   * detect on each, one page in memory at a time. Each page comes with its decoded pixels, so a caller that
   * annotates or renders it never decodes the file again. `signal` stops the loop between pages: onnxruntime
   * cannot be interrupted inside a run.
   */
  async *pages(
    data: Uint8Array,
    opts: DetectFileOptions = {},
    signal?: AbortSignal,
  ): AsyncGenerator<DetectedPage> {
    const pages = decodePages(data, {
      dpi: opts.dpi,
      maxPixels: opts.maxPixels,
      pages: opts.pages,
      textLayer: wantsTextLayer(checkTextMode(opts.text)),
    });
    try {
      for (;;) {
        throwIfCancelled(signal);
        const t0 = performance.now();
        const next = await pages.next();
        if (next.done) return;
        throwIfCancelled(signal);
        const result = await this.detectPage(next.value, { ...opts, decodeMs: performance.now() - t0 });
        yield { page: next.value, result };
      }
    } finally {
      await pages.return(undefined); // a loop left early still closes the PDF
    }
  }

  /** Every page's result of a file (Detector.pages without the pixels). */
  async detectFile(data: Uint8Array, opts: DetectFileOptions = {}): Promise<DetectionResult[]> {
    const results: DetectionResult[] = [];
    for await (const { result } of this.pages(data, opts)) results.push(result);
    return results;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.model.session.release();
    const engines = await Promise.allSettled(this.ocr.values());
    await Promise.all(engines.map((e) => (e.status === 'fulfilled' ? e.value.dispose() : undefined)));
  }
}
