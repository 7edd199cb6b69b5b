// The worker thread that runs the core: one Detector (one ORT session) kept for the current model,
// decoding, page rendering for the viewer and full-resolution annotation for exports.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import {
  CheckboxError,
  Detector,
  annotate,
  decodeImage,
  decodePages,
  toCheckboxError,
  wantsTextLayer,
  type DetectionResult,
} from '../../src-core/index.js';
import type { ModelSummaryView } from '../../src-shared/contract.js';
import type {
  CancelMessage,
  CloseMessage,
  WorkerRequest,
  WorkerResponse,
  WorkerValues,
} from './worker-protocol.js';

if (!parentPort) throw new Error('core-worker must run in a worker thread');
const port = parentPort;

let detector: { key: string; instance: Promise<Detector> } | null = null;
/**
 * Cancelled request ids. Cancelling is cooperative, between pages: terminating a thread while
 * onnxruntime is inside a run aborts the whole process.
 */
const cancelled = new Set<number>();

function checkCancelled(id: number): void {
  if (cancelled.delete(id)) throw new CheckboxError('cancelled', 'Cancelled.');
}

function detectorFor(modelPath: string | null, threads: number | undefined): Promise<Detector> {
  const key = `${modelPath ?? '<bundled>'} on ${threads ?? 'all'} threads`;
  if (detector?.key !== key) {
    const previous = detector;
    detector = {
      key,
      instance: Detector.create({ ...(modelPath ? { modelPath } : {}), ...(threads ? { threads } : {}) }),
    };
    void previous?.instance.then((d) => d.dispose()).catch(() => undefined);
    // A failed load must not stick: the next call tries again (the user may fix the file).
    const current = detector;
    current.instance.catch(() => {
      if (detector === current) detector = null;
    });
  }
  return detector.instance;
}

async function page(path: string, pageNo: number, dpi: number) {
  const [decoded] = await decodeImage(await readFile(path), { dpi, pages: [pageNo] });
  if (!decoded) throw toCheckboxError(new Error(`Page ${pageNo} not found in ${path}`));
  return decoded;
}

async function run(req: WorkerRequest): Promise<WorkerValues[WorkerRequest['type']]> {
  switch (req.type) {
    case 'detect': {
      // Detector.detectFile, page by page, so that a cancel takes effect at the next page.
      const d = await detectorFor(req.modelPath, req.threads);
      const text = req.text ?? 'off';
      const pages = decodePages(await readFile(req.path), { dpi: req.dpi, textLayer: wantsTextLayer(text) });
      const results: DetectionResult[] = [];
      for (;;) {
        checkCancelled(req.id);
        const t0 = performance.now();
        const next = await pages.next();
        if (next.done) break;
        checkCancelled(req.id);
        results.push(
          await d.detectPage(next.value, {
            conf: req.conf,
            source: req.source,
            text,
            ...(req.lang ? { lang: req.lang } : {}),
            decodeMs: performance.now() - t0,
          }),
        );
      }
      cancelled.delete(req.id);
      return results;
    }
    case 'render': {
      const p = await page(req.path, req.page, req.dpi);
      const png = await sharp(p.rgb, { raw: { width: p.width, height: p.height, channels: 3 } })
        .png({ compressionLevel: 1 })
        .toBuffer();
      return {
        width: p.width,
        height: p.height,
        png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
      };
    }
    case 'annotate': {
      const p = await page(req.path, req.page, req.dpi);
      const out = await annotate(p, req.result, { format: req.format, labels: false });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
    case 'model-info': {
      // Loading the model is the check: a wrong file fails here with the core's clear error.
      const d = await Detector.create(req.modelPath ? { modelPath: req.modelPath } : {});
      const { name, version, imgsz, classes, path } = d.info;
      await d.dispose();
      const info: ModelSummaryView = {
        name,
        version,
        imgsz: [imgsz[0], imgsz[1]],
        classes: [...classes],
        path,
      };
      return info;
    }
  }
}

port.on('message', (req: WorkerRequest | CancelMessage | CloseMessage) => {
  if (req.type === 'cancel') {
    cancelled.add(req.id);
    return;
  }
  if (req.type === 'close') {
    const last = detector?.instance.then((d) => d.dispose());
    void Promise.resolve(last)
      .catch(() => undefined)
      .finally(() => port.close());
    return;
  }
  run(req).then(
    (value) => port.postMessage({ id: req.id, ok: true, value } satisfies WorkerResponse),
    (err: unknown) => {
      const e = toCheckboxError(err);
      port.postMessage({
        id: req.id,
        ok: false,
        error: { code: e.code, message: e.message },
      } satisfies WorkerResponse);
    },
  );
});
