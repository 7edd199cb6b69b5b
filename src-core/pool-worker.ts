// One worker of a DetectorPool: a Detector (its own onnxruntime session) for the model last asked for, the page
// loop, page rendering and annotation, and the cloud's page uploads. Messages: worker-protocol.ts.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { annotate } from './annotate.js';
import { splitFile } from './cloud/pages.js';
import { Detector } from './detect.js';
import { detectFileDrawn, view } from './detect-file.js';
import { toCheckboxError } from '../src-shared/errors.js';
import { decodeImage, decodePages, type DecodedPage } from './image.js';
import type {
  ControlMessage,
  FileInput,
  ModelChoice,
  PageDrawing,
  WorkerRequest,
  WorkerResponse,
  WorkerValues,
} from './worker-protocol.js';

if (!parentPort) throw new Error('pool-worker must run in a worker thread');
const port = parentPort;

/** A session and the requests using it: one replaced by another model is released when its last one ends. */
interface Held {
  key: string;
  detector: Promise<Detector>;
  users: number;
}
let current: Held | null = null;

/**
 * Detections in progress, to cancel by id. Cancelling is cooperative, between pages: terminating a thread while
 * onnxruntime is inside a run aborts the whole process.
 */
const running = new Map<number, AbortController>();

const release = (held: Held): Promise<void> => held.detector.then((d) => d.dispose()).catch(() => undefined);

async function withDetector<T>(model: ModelChoice, use: (d: Detector) => Promise<T>): Promise<T> {
  const key = `${model.modelPath ?? '<bundled>'} on ${model.threads ?? 'all'} threads`;
  if (current?.key !== key) {
    const previous = current;
    const { modelPath, threads } = model;
    const held: Held = {
      key,
      detector: Detector.create({ ...(modelPath ? { modelPath } : {}), ...(threads ? { threads } : {}) }),
      users: 0,
    };
    current = held;
    // A failed load must not stick: the next request tries again (the user may fix the file).
    held.detector.catch(() => {
      if (current === held) current = null;
    });
    if (previous && previous.users === 0) void release(previous);
  }
  const held = current!;
  held.users++;
  try {
    return await use(await held.detector);
  } finally {
    held.users--;
    if (held !== current && held.users === 0) void release(held);
  }
}

const bytes = async (file: FileInput): Promise<Uint8Array> =>
  typeof file === 'string' ? readFile(file) : file;

/** The page as a PNG, fast to write (the viewer shows it at once; an export keeps it). */
async function pagePng(p: DecodedPage): Promise<Uint8Array> {
  const png = await sharp(p.rgb, { raw: { width: p.width, height: p.height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return view(png);
}

async function draw(page: DecodedPage, { result, formats }: PageDrawing): Promise<Uint8Array[]> {
  const images: Uint8Array[] = [];
  for (const format of formats) {
    images.push(
      format === 'page' ? await pagePng(page) : view(await annotate(page, result, { format, labels: false })),
    );
  }
  return images;
}

async function run(req: WorkerRequest, signal: AbortSignal): Promise<WorkerValues[WorkerRequest['type']]> {
  switch (req.type) {
    case 'detect':
      return withDetector(req.model, async (d) =>
        detectFileDrawn(d, await bytes(req.file), req.opts, req.annotate, signal),
      );
    case 'render': {
      const [page] = await decodeImage(await bytes(req.file), { dpi: req.dpi, pages: [req.page] });
      return { width: page!.width, height: page!.height, png: await pagePng(page!) };
    }
    case 'annotate': {
      // One decode for every page asked for, in the order asked.
      const wanted = req.pages.map((p) => p.result.image.page);
      const out: Uint8Array[][] = [];
      for await (const page of decodePages(await bytes(req.file), { dpi: req.dpi, pages: wanted })) {
        out.push(await draw(page, req.pages[out.length]!));
      }
      return out;
    }
    case 'split':
      return splitFile(await bytes(req.file), req.dpi);
    case 'model-info':
      // Loading the model is the check: a wrong file fails here with the core's clear error. The session
      // stays for the detections that follow.
      return withDetector(req.model, async (d) => {
        const { name, version, imgsz, classes, path } = d.info;
        return { name, version, imgsz: [imgsz[0], imgsz[1]], classes: [...classes], path };
      });
  }
}

port.on('message', (msg: WorkerRequest | ControlMessage) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  if (msg.type === 'close') {
    // Sent once every request is answered: nothing uses the session any more.
    void Promise.resolve(current && release(current)).finally(() => port.close());
    return;
  }
  const abort = new AbortController();
  running.set(msg.id, abort);
  run(msg, abort.signal)
    .then(
      (value) => port.postMessage({ id: msg.id, ok: true, value } satisfies WorkerResponse),
      (err: unknown) => {
        const e = toCheckboxError(err);
        port.postMessage({
          id: msg.id,
          ok: false,
          error: { code: e.code, message: e.message },
        } satisfies WorkerResponse);
      },
    )
    .finally(() => running.delete(msg.id));
});
