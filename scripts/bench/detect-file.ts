// One page through the whole pipeline, timed from the file read to the finished result.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { decodeImage, type Detector } from '../../src-core/index.js';

/** Milliseconds for read + decode + letterbox + inference + box decoding + NMS of the file's first page. */
export async function detectFile(detector: Detector, file: string): Promise<number> {
  const t0 = performance.now();
  const [page] = await decodeImage(await readFile(file));
  await detector.detectPage(page!, { decodeMs: performance.now() - t0 });
  return performance.now() - t0;
}
