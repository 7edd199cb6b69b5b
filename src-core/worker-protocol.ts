// Messages between a DetectorPool and its workers (worker_threads). A worker owns its onnxruntime session and
// every decode, so the thread that asks (the CLI's, the app's main process) never blocks on them.
import type { AnnotateOptions } from './annotate.js';
import type { SplitFile } from './cloud/pages.js';
import type { DetectFileOptions } from './detect.js';
import type { ErrorCode } from '../src-shared/errors.js';
import type { DetectionResult, ModelSummary } from '../src-shared/result.js';

/** The model a request runs on: a worker keeps one session and makes another when this changes. */
export interface ModelChoice {
  /** null: the bundled model. */
  modelPath: string | null;
  /** Inference threads (default: every core). */
  threads?: number;
}

/** A file by path (read in the worker) or its bytes (a copy is moved to the worker; the caller keeps its own). */
export type FileInput = string | Uint8Array;

export type WorkerRequest =
  | {
      id: number;
      type: 'detect';
      file: FileInput;
      model: ModelChoice;
      opts: Omit<DetectFileOptions, 'pages'>;
      /** Also draw each page with its boxes, from the pixels just decoded (no second decode). */
      annotate?: AnnotateOptions;
    }
  | { id: number; type: 'render'; file: FileInput; page: number; dpi: number }
  | { id: number; type: 'annotate'; file: FileInput; dpi: number; pages: PageDrawing[] }
  | { id: number; type: 'model-info'; model: ModelChoice }
  /** The cloud's uploads of a file (cloud/pages.ts), made off the asking thread. */
  | { id: number; type: 'split'; file: FileInput; dpi: number };

/** 'png' or 'jpeg': the page with its boxes drawn; 'page': the page alone, as PNG (a training image). */
export type DrawFormat = 'png' | 'jpeg' | 'page';

/** A page to draw (the one of `result.image.page`) and the images wanted of it. */
export interface PageDrawing {
  result: DetectionResult;
  formats: DrawFormat[];
}

/** `cancel` stops request `id` at its next page; `close` comes last, once nothing runs: release the model and end. */
export type ControlMessage = { type: 'cancel'; id: number } | { type: 'close' };

export interface DetectedFile {
  results: DetectionResult[];
  /** With `annotate`: each page drawn, in the order of `results`. */
  annotated?: Uint8Array[];
}

export interface RenderedPage {
  width: number;
  height: number;
  png: Uint8Array;
}

export type WorkerModelInfo = ModelSummary & { path: string };

export interface WorkerValues {
  detect: DetectedFile;
  render: RenderedPage;
  /** Per page asked for, its images in the order of its formats: every page from one decode of the file. */
  annotate: Uint8Array[][];
  'model-info': WorkerModelInfo;
  split: SplitFile;
}

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: ErrorCode; message: string } };

export type RequestOf<T extends WorkerRequest['type']> = Omit<Extract<WorkerRequest, { type: T }>, 'id'>;
