// Child process: what reading each box's label and question costs on a scanned page. One Detector runs every
// scan (read, decode, detect as shipped) with text off and with text auto (OCR here: a scan has no text
// layer), in pairs whose order alternates; the OCR engine is started by an untimed pass first, as a warm
// worker or Lambda has it.
//   --files a.jpg,b.jpg --reps 3
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { decodeImage, Detector, type TextMode } from '../../src-core/index.js';
import { printResult } from './protocol.js';

export interface TextCostSample {
  file: string;
  /** Wall ms of the page with text off and with text auto. */
  off: number;
  auto: number;
}

const { values } = parseArgs({
  options: { files: { type: 'string' }, reps: { type: 'string', default: '3' } },
});
const files = values.files!.split(',');
const detector = await Detector.create();

async function timePage(file: string, text: TextMode): Promise<number> {
  const t0 = performance.now();
  const [page] = await decodeImage(await readFile(file));
  const result = await detector.detectPage(page!, { text });
  const ms = performance.now() - t0;
  // A failed OCR keeps the boxes and costs nothing: time only pages whose text was really read.
  if (text === 'auto' && result.text?.source !== 'ocr')
    throw new Error(`${file}: text auto did not OCR (${result.text?.error ?? result.text?.source ?? 'no text info'})`);
  return ms;
}

for (const f of files) for (const mode of ['off', 'auto'] as const) await timePage(f, mode);
const samples: TextCostSample[] = [];
for (let r = 0; r < Number(values.reps); r++) {
  for (const [i, file] of files.entries()) {
    const order = (r + i) % 2 === 0 ? (['off', 'auto'] as const) : (['auto', 'off'] as const);
    const ms = { off: 0, auto: 0 };
    for (const mode of order) ms[mode] = await timePage(file, mode);
    samples.push({ file, ...ms });
  }
}
await detector.dispose();
printResult({ samples });
