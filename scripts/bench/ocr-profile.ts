// Where --text auto's time goes on the scanned bench pages: strip finding, sheet building, Tesseract.
//   npx tsx scripts/bench/ocr-profile.ts /tmp/dir/scan-1.jpg ...
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { decodeImage, Detector } from '../../src-core/index.js';
import { greyImage } from '../../src-core/text/grey.js';
import { OcrEngine } from '../../src-core/text/ocr.js';
import { runSheets } from '../../src-core/text/run-sheet.js';
import { textRuns } from '../../src-core/text/text-runs.js';

const files = process.argv.slice(2);
const detector = await Detector.create();
const ocr = await OcrEngine.create(undefined, Number(process.env.OCR_WORKERS ?? 2));
for (let rep = 0; rep < 3; rep++)
  for (const file of files) {
    const [page] = await decodeImage(await readFile(file));
    let t = performance.now();
    const res = await detector.detectPage(page!, { text: 'off' });
    const tDet = performance.now() - t;
    t = performance.now();
    const grey = greyImage(page!.rgb, page!.width, page!.height);
    const tGrey = performance.now() - t;
    t = performance.now();
    const runs = textRuns(
      grey,
      res.detections.map((d) => d.box),
    );
    const tRuns = performance.now() - t;
    t = performance.now();
    const sheets = runSheets(grey, runs, ocr.parallel);
    const tSheet = performance.now() - t;
    const dims = sheets
      .map((s) => /^P5\n(\d+ \d+)/.exec(s.image.subarray(0, 30).toString('latin1'))![1])
      .join('+');
    t = performance.now();
    const c0 = process.cpuUsage();
    const words = (await ocr.words(sheets.map((s) => s.image))).flat();
    const c = process.cpuUsage(c0);
    const tOcr = performance.now() - t;

    console.log(
      `${file.split('/').pop()} det ${tDet.toFixed(0)} grey ${tGrey.toFixed(1)} runs ${tRuns.toFixed(1)} (${runs.length}) sheet ${tSheet.toFixed(1)} ${dims} ocr ${tOcr.toFixed(0)} cpu ${((c.user + c.system) / 1000).toFixed(0)} words ${words.length} boxes ${res.detections.length}`,
    );
  }
await ocr.dispose();
await detector.dispose();
