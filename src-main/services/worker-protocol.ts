// Messages between the main thread and the core worker (worker_threads). The worker owns the ONNX
// session and every decode, so the main process (and with it the window) never blocks on them.
import type { DetectionResult, TextMode } from '../../src-shared/result.js';
import type { ErrorInfo, ModelSummaryView } from '../../src-shared/contract.js';

export type WorkerRequest =
  | {
      id: number;
      type: 'detect';
      path: string;
      source: string;
      conf: number;
      dpi: number;
      modelPath: string | null;
      /** Inference threads (default: every core). */
      threads?: number;
      /** Read each box's label and question (default off), OCR in `lang`. */
      text?: TextMode;
      lang?: string;
    }
  | { id: number; type: 'render'; path: string; page: number; dpi: number }
  | {
      id: number;
      type: 'annotate';
      path: string;
      page: number;
      dpi: number;
      result: DetectionResult;
      format: 'png' | 'jpeg';
    }
  | { id: number; type: 'model-info'; modelPath: string | null };

/** Asks the worker to stop request `id` at its next page boundary. */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

/** Sent last, once nothing runs (endWorker): release the model and end the thread. */
export interface CloseMessage {
  type: 'close';
}

export interface RenderedPage {
  width: number;
  height: number;
  png: Uint8Array;
}

export interface WorkerValues {
  detect: DetectionResult[];
  render: RenderedPage;
  annotate: Uint8Array;
  'model-info': ModelSummaryView;
}

export type WorkerResponse =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorInfo };

export type RequestOf<T extends WorkerRequest['type']> = Omit<Extract<WorkerRequest, { type: T }>, 'id'>;
