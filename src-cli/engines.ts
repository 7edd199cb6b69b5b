// Where `detect` gets its results: the local model (in this thread for one file at a time, else on a
// DetectorPool), or (with --cloud) the user's Lambda via CloudClient. Both give one outcome per page, each page
// drawn when asked (--annotate) from its one decode.
import os from 'node:os';
import {
  annotate,
  type AnnotateOptions,
  CloudClient,
  type CloudOptions,
  decodePages,
  type DetectedFile,
  type DetectParams,
  detectFileDrawn,
  type DetectionResult,
  Detector,
  DetectorPool,
  type RetryNotice,
} from '../src-core/index.js';

export interface PageOutcome {
  result: DetectionResult;
  /** The page drawn with its boxes, when EngineDetectOptions.annotate asked for it. */
  annotated?: Uint8Array;
}

/** The detection options (local or cloud alike), the file's name for the results, and the drawing asked for. */
export interface EngineDetectOptions extends DetectParams {
  source: string;
  annotate?: AnnotateOptions;
}

export interface Engine {
  /** Files it works on at once; detect() calls beyond that wait their turn. */
  readonly parallel: number;
  detect(data: Uint8Array, opts: EngineDetectOptions): Promise<PageOutcome[]>;
  dispose(): Promise<void>;
}

/** The pages of a file as the engines hand them on. */
const outcomes = (file: DetectedFile): PageOutcome[] =>
  file.results.map((result, i) => ({ result, annotated: file.annotated?.[i] }));

/**
 * Local detection, `workers` files at once. One worker (a single file, or --jobs 1) runs the detector in this
 * thread with every core as inference threads: a cold start then loads onnxruntime and the model once, not
 * again in a worker thread. Several run on a DetectorPool, each file on its own worker thread and session,
 * one inference thread each unless told otherwise.
 */
export async function localEngine(opts: {
  modelPath?: string;
  workers: number;
  threads?: number;
}): Promise<Engine> {
  const { workers, ...model } = opts;
  if (workers > 1) return poolEngine({ ...model, workers, threads: opts.threads ?? 1 });
  return threadEngine({ ...model, threads: opts.threads ?? os.availableParallelism() });
}

/** One file at a time on a Detector of this thread: the page loop and drawing of a pool worker. */
async function threadEngine(opts: { modelPath?: string; threads: number }): Promise<Engine> {
  const detector = await Detector.create(opts);
  return {
    parallel: 1,
    detect: async (data, { annotate, ...o }) => outcomes(await detectFileDrawn(detector, data, o, annotate)),
    dispose: () => detector.dispose(),
  };
}

/** Files on the workers of a DetectorPool, as many at once as it has workers. */
async function poolEngine(opts: { modelPath?: string; workers: number; threads: number }): Promise<Engine> {
  const pool = await DetectorPool.create(opts);
  return {
    parallel: pool.size,
    async detect(data, { annotate, ...o }) {
      const file = await pool.run({
        type: 'detect',
        file: data,
        model: pool.defaultModel,
        opts: o,
        ...(annotate ? { annotate } : {}),
      });
      return outcomes(file);
    },
    dispose: () => pool.dispose(),
  };
}

/**
 * The cloud engine: a deployed Lambda through CloudClient (Function URL, API Gateway or direct invoke).
 * `jobs` requests in flight across the batch, so files are started that many ahead; every detection
 * option goes with each request, and each retry is told to `onRetry`.
 */
export function cloudEngine(
  opts: CloudOptions,
  jobs: number,
  onRetry: (source: string, notice: RetryNotice) => void,
): Engine {
  const client = new CloudClient({ ...opts, maxInFlight: jobs });
  return {
    parallel: jobs,
    async detect(data, { annotate: drawing, ...o }) {
      // Every detection option goes with each page's request (the client leaves unset ones out).
      const results = await client.detectFile(data, { ...o, onRetry: (notice) => onRetry(o.source, notice) });
      if (!drawing) return results.map((result) => ({ result }));
      // The pixels to draw on are decoded here, once for the file: the cloud sends boxes back, not pages.
      const outcomes: PageOutcome[] = [];
      for await (const page of decodePages(data, { dpi: o.dpi })) {
        const result = results[outcomes.length]!;
        outcomes.push({ result, annotated: await annotate(page, result, drawing) });
      }
      return outcomes;
    },
    dispose: async () => undefined,
  };
}
