// Parity check: the Node pipeline against Ultralytics' own predictions on the same ONNX file, images and conf.
// Our tiling is off (Ultralytics has none). Passes when every page has the same number of boxes and each Node box
// has an Ultralytics box with IoU >= 0.95.
// Pages: every fixture page (written as PNG), plus ../shared/data/real-dev/images/* (or $PARITY_EXTRA) if present.
//
//   npm run parity [-- --conf 0.2 --model models/checkbox-detector.onnx]
//   Python with ultralytics: $PYTHON, else the training venv (venv/bin/python, scripts/train/setup.sh), else python3.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { decodeImage, Detector, type Box } from '../../src-core/index.js';
import { iou } from '../../src-core/nms.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MIN_IOU = 0.95;

const { values } = parseArgs({
  options: {
    conf: { type: 'string', default: '0.2' },
    iou: { type: 'string', default: '0.7' },
    model: { type: 'string', default: path.join(REPO, 'models/checkbox-detector.onnx') },
  },
});
const conf = Number(values.conf);
const iouThreshold = Number(values.iou);
const maxDet = 1000;

function python(): string {
  if (process.env.PYTHON) return process.env.PYTHON;
  const venv = path.join(REPO, 'venv/bin/python');
  return existsSync(venv) ? venv : 'python3';
}

/** Fixture pages as PNG files (Ultralytics reads images, not PDFs), plus the extra real pages as they are. */
async function collectPages(tmp: string): Promise<string[]> {
  const pages: string[] = [];
  const fixtures = path.join(REPO, 'tests/fixtures');
  const truth = JSON.parse(readFileSync(path.join(fixtures, 'truth.json'), 'utf8')) as {
    files: Record<string, unknown>;
  };
  for (const name of Object.keys(truth.files)) {
    for (const page of await decodeImage(readFileSync(path.join(fixtures, name)))) {
      const out = path.join(tmp, `${name.replace(/\W/g, '_')}-p${page.page}.png`);
      await sharp(page.rgb, { raw: { width: page.width, height: page.height, channels: 3 } })
        .png()
        .toFile(out);
      pages.push(out);
    }
  }
  const extra = process.env.PARITY_EXTRA ?? path.resolve(REPO, '../shared/data/real-dev/images');
  if (existsSync(extra)) {
    for (const f of readdirSync(extra).sort()) if (/\.(png|jpe?g)$/i.test(f)) pages.push(path.join(extra, f));
  }
  return pages;
}

interface Row {
  page: string;
  node: number;
  ultralytics: number;
  minIou: number;
  sameClass: number;
  ok: boolean;
}

/** Pair boxes greedily by IoU (best pairs first). */
function compare(page: string, a: { box: Box; cls: number }[], b: { box: Box; cls: number }[]): Row {
  const pairs = a
    .flatMap((x, i) => b.map((y, j) => ({ i, j, v: iou(x.box, y.box) })))
    .sort((p, q) => q.v - p.v);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let minIou = a.length === 0 && b.length === 0 ? 1 : 0;
  let matched = 0;
  let sameClass = 0;
  for (const p of pairs) {
    if (usedA.has(p.i) || usedB.has(p.j)) continue;
    usedA.add(p.i);
    usedB.add(p.j);
    minIou = matched === 0 ? p.v : Math.min(minIou, p.v);
    matched++;
    if (a[p.i]!.cls === b[p.j]!.cls) sameClass++;
  }
  const ok = a.length === b.length && matched === a.length && minIou >= MIN_IOU;
  return { page: path.basename(page), node: a.length, ultralytics: b.length, minIou, sameClass, ok };
}

async function main(): Promise<number> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cbd-parity-'));
  try {
    const pages = await collectPages(tmp);
    const detector = await Detector.create({ modelPath: values.model });
    const [h, w] = detector.info.imgsz;
    const node = new Map<string, { box: Box; cls: number }[]>();
    for (const p of pages) {
      const [result] = await detector.detectFile(readFileSync(p), {
        conf,
        iou: iouThreshold,
        maxDet,
        pages: [1],
        // Ultralytics predicts on the whole page: compare our un-tiled path with it.
        tiling: 'off',
      });
      node.set(
        p,
        result!.detections.map((d) => ({ box: d.box, cls: detector.info.classes.indexOf(d.class) })),
      );
    }
    await detector.dispose();

    const script = path.join(REPO, 'scripts/parity/ultralytics_predict.py');
    const args = [
      script,
      '--model',
      values.model,
      '--conf',
      String(conf),
      '--iou',
      String(iouThreshold),
      '--max-det',
      String(maxDet),
      '--imgsz',
      String(h),
      String(w),
      ...pages,
    ];
    const raw = execFileSync(python(), args, {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ultra = JSON.parse(raw.trim().split('\n').pop()!) as Record<string, number[][]>;

    const rows = pages.map((p) =>
      compare(
        p,
        node.get(p)!,
        (ultra[p] ?? []).map((r) => ({ box: r.slice(0, 4) as Box, cls: r[5]! })),
      ),
    );
    const width = Math.max(...rows.map((r) => r.page.length), 4);
    console.log(
      `model ${path.basename(values.model)}, conf ${conf}, iou ${iouThreshold}, agnostic NMS, pass: same count and IoU >= ${MIN_IOU}`,
    );
    console.log(`${'page'.padEnd(width)}  node  ultralytics  min IoU  same class  result`);
    for (const r of rows) {
      console.log(
        `${r.page.padEnd(width)}  ${String(r.node).padStart(4)}  ${String(r.ultralytics).padStart(11)}  ${r.minIou.toFixed(4).padStart(7)}  ${`${r.sameClass}/${r.node}`.padStart(10)}  ${r.ok ? 'ok' : 'MISMATCH'}`,
      );
    }
    const passed = rows.filter((r) => r.ok).length;
    console.log(`${passed} of ${rows.length} pages agree`);
    return passed === rows.length ? 0 : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
