// A worker thread with its own Detector (own onnxruntime session): a lane of the batch benchmark.
// Messages in: null (answer once the session is ready) or a file path; out: {} when done, or {error}.
import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type TilingMode } from '../../src-core/index.js';
import { detectFile } from './detect-file.js';

const { tiling, ...detectorOpts } = workerData as {
  modelPath?: string;
  threads?: number;
  tiling: TilingMode;
};
const detector = await Detector.create(detectorOpts);
parentPort!.on('message', (file: string | null) => {
  const done = file === null ? Promise.resolve(0) : detectFile(detector, file, { tiling });
  done.then(
    () => parentPort!.postMessage({}),
    (err: unknown) => parentPort!.postMessage({ error: String(err) }),
  );
});
