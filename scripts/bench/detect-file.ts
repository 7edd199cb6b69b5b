// One page through the whole pipeline, timed from the file read to the finished result.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { decodeImage, type DetectOptions, type Detector } from '../../src-core/index.js';

export interface PageTiming {
  /** Wall-clock ms. */
  ms: number;
  /** CPU ms of the whole process (every thread) meanwhile: robust to other load on the machine. */
  cpuMs: number;
}

/** Read + decode + letterbox + inference + box decoding + NMS of the file's first page. */
export async function detectFile(
  detector: Detector,
  file: string,
  opts: Pick<DetectOptions, 'tiling'> = {},
): Promise<PageTiming> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const [page] = await decodeImage(await readFile(file));
  await detector.detectPage(page!, { ...opts, decodeMs: performance.now() - t0 });
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}
