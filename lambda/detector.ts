// Where the Lambda's model lives and how the one detector per container is made.
// The bundle ships the model beside index.mjs (models/); run from the repository, the core's default applies.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Detector, defaultModelPath } from '../src-core/index.js';

export const MODEL_FILE = 'checkbox-detector.onnx';

export function lambdaModelPath(moduleUrl: string): string {
  if (process.env.CHECKBOX_MODEL) return process.env.CHECKBOX_MODEL;
  const beside = path.join(path.dirname(fileURLToPath(moduleUrl)), 'models', MODEL_FILE);
  return existsSync(beside) ? beside : defaultModelPath();
}

/** CHECKBOX_THREADS caps onnxruntime's threads; by default it uses the cores the container has. */
export function createDetector(moduleUrl: string): Promise<Detector> {
  const threads = Number(process.env.CHECKBOX_THREADS);
  return Detector.create({
    modelPath: lambdaModelPath(moduleUrl),
    ...(Number.isInteger(threads) && threads > 0 ? { threads } : {}),
  });
}
