// One file through the page loop (Detector.pages), each page drawn with its boxes when asked, from its one
// decode: what a pool worker runs for a `detect` request, and what the CLI runs in its own thread for one file.
import { annotate, type AnnotateOptions } from './annotate.js';
import type { DetectFileOptions, Detector } from './detect.js';
import type { DetectedFile } from './worker-protocol.js';

/** A Buffer as a plain Uint8Array over the same memory (a worker's answer arrives as one either way). */
export const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Every page's result of a file and, with `drawing`, each page drawn in the order of the results. */
export async function detectFileDrawn(
  detector: Detector,
  data: Uint8Array,
  opts: Omit<DetectFileOptions, 'pages'>,
  drawing?: AnnotateOptions,
  signal?: AbortSignal,
): Promise<DetectedFile> {
  const out: DetectedFile = { results: [], ...(drawing ? { annotated: [] } : {}) };
  for await (const { page, result } of detector.pages(data, opts, signal)) {
    out.results.push(result);
    if (drawing) out.annotated!.push(view(await annotate(page, result, drawing)));
  }
  return out;
}
