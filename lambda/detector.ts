// How the one detector per container is made. The model is found as everywhere else
// (`defaultModelPath`): CHECKBOX_MODEL, else models/ beside the bundle's index.mjs, else the repository's.
import { Detector, defaultModelPath } from '../src-core/index.js';

/** CHECKBOX_THREADS caps onnxruntime's threads; by default it uses the cores the container has. */
export function createDetector(): Promise<Detector> {
  const threads = Number(process.env.CHECKBOX_THREADS);
  return Detector.create({
    modelPath: defaultModelPath(),
    ...(Number.isInteger(threads) && threads > 0 ? { threads } : {}),
  });
}
