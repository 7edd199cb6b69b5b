// One lane of a DetectorPool: a worker thread with its own Detector (its own onnxruntime session).
// In: { id, data, opts } per file, { close } last; out: { ready } once the model is loaded (or { fatal }), then
// { id, results } or { id, error } per file.
import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type DetectFileOptions } from './detect.js';
import { toCheckboxError } from '../src-shared/errors.js';
import type { PoolClose, PoolReply, PoolRequest, PoolWorkerData } from './detector-pool.js';

const port = parentPort!;
const { modelPath, threads } = workerData as PoolWorkerData;
const errorBody = (err: unknown) => {
  const e = toCheckboxError(err);
  return { code: e.code, message: e.message };
};

try {
  const detector = await Detector.create({ ...(modelPath ? { modelPath } : {}), threads });
  port.on('message', (msg: PoolRequest | PoolClose) => {
    if ('close' in msg) {
      // The pool sends this after every file's answer: nothing is left to run.
      void detector.dispose().finally(() => port.close());
      return;
    }
    const { id, data, opts } = msg;
    detector.detectFile(new Uint8Array(data), opts as DetectFileOptions).then(
      (results) => port.postMessage({ id, results } satisfies PoolReply),
      (err: unknown) => port.postMessage({ id, error: errorBody(err) } satisfies PoolReply),
    );
  });
  port.postMessage({
    ready: { name: detector.info.name, version: detector.info.version },
  } satisfies PoolReply);
} catch (err) {
  port.postMessage({ fatal: errorBody(err) } satisfies PoolReply);
}
