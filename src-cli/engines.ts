// Where `detect` gets its results: the local detector, or (with --cloud) the user's Lambda via CloudClient.
// Both yield one outcome per page; the local one also hands over the decoded page for annotation.
import {
  decodePages,
  Detector,
  type DecodedPage,
  type DetectionResult,
  type TextMode,
  type TilingMode,
  wantsTextLayer,
} from '../src-core/index.js';
import { CloudClient, type CloudOptions, type RetryNotice } from '../src-core/cloud.js';
import { DetectorPool } from '../src-core/detector-pool.js';
import { performance } from 'node:perf_hooks';

export interface PageOutcome {
  result: DetectionResult;
  /** The decoded page, when the engine decoded it here. */
  page?: DecodedPage;
}

export interface EngineDetectOptions {
  conf: number;
  iou?: number;
  dpi?: number;
  tiling?: TilingMode;
  text?: TextMode;
  lang?: string;
  source: string;
}

export interface Engine {
  readonly description: string;
  /** Files it works on at once; detect() calls beyond that wait their turn. */
  readonly parallel: number;
  detect(data: Uint8Array, opts: EngineDetectOptions): AsyncGenerator<PageOutcome>;
  dispose(): Promise<void>;
}

export async function localEngine(opts: { modelPath?: string; threads?: number }): Promise<Engine> {
  const detector = await Detector.create(opts);
  return {
    description: `local model ${detector.info.name} (${detector.info.version})`,
    parallel: 1,
    async *detect(data, o) {
      const pages = decodePages(data, { dpi: o.dpi, textLayer: wantsTextLayer(o.text ?? 'off') });
      for (;;) {
        const t0 = performance.now();
        const next = await pages.next();
        if (next.done) return;
        const result = await detector.detectPage(next.value, {
          conf: o.conf,
          iou: o.iou,
          tiling: o.tiling,
          text: o.text,
          lang: o.lang,
          source: o.source,
          decodeMs: performance.now() - t0,
        });
        yield { result, page: next.value };
      }
    },
    dispose: () => detector.dispose(),
  };
}

/** Local detection for a batch: `workers` files at once, each on its own worker thread and session. */
export async function poolEngine(opts: {
  modelPath?: string;
  workers: number;
  threads?: number;
}): Promise<Engine> {
  const pool = await DetectorPool.create(opts);
  return {
    description: `local model ${pool.model.name} (${pool.model.version}), ${pool.size} workers`,
    parallel: pool.size,
    async *detect(data, o) {
      const results = await pool.detectFile(data, {
        conf: o.conf,
        iou: o.iou,
        dpi: o.dpi,
        tiling: o.tiling,
        text: o.text,
        lang: o.lang,
        source: o.source,
      });
      for (const result of results) yield { result };
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
    description: `cloud ${client.mode} ${client.target}`,
    parallel: jobs,
    async *detect(data, o) {
      const results = await client.detectFile(data, {
        conf: o.conf,
        ...(o.iou !== undefined ? { iou: o.iou } : {}),
        ...(o.dpi !== undefined ? { dpi: o.dpi } : {}),
        ...(o.tiling !== undefined ? { tiling: o.tiling } : {}),
        source: o.source,
        onRetry: (notice) => onRetry(o.source, notice),
      });
      for (const result of results) yield { result };
    },
    dispose: async () => undefined,
  };
}
