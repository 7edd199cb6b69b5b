// The benchmark report: docs/benchmarks.md (tables, acceptance ratios, how it was run) and the chart beside it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderChart, type ChartPanel } from './chart.js';
import type { Contention } from './contention.js';
import type { Machine } from './machine.js';
import type { PageOrigin } from './pages.js';
import type { StageProfile } from './profile.js';
import { fanoutSection, type FanoutRow } from './cloud-fanout.js';
import { WORKER_INITIAL_OLD_SPACE_MB } from '../../src-core/spawn-worker.js';

/** Rows the acceptance criteria refer to. */
export type WarmKey =
  | 'ours'
  | 'ours-heap'
  | 'ours-1t'
  | 'ours-tiled'
  | 'ours-twin'
  | 'ul-pt'
  | 'ul-pt-installed'
  | 'ul-onnx'
  | 'predecessor'
  | 'predecessor-installed';
export type ColdKey = 'cli' | 'cli-bundled' | 'lambda' | 'fastapi-predecessor' | 'fastapi-same';

export interface WarmRow {
  key: WarmKey;
  label: string;
  runtime: string;
  model: string;
  n: number;
  p50: number;
  p95: number;
  mean: number;
  /** Pages per second one page at a time: samples / their summed time. */
  pagesPerSecond: number;
  /** Median CPU ms per page, all threads of the process. */
  cpuP50: number;
  /** Cores other processes took meanwhile. */
  otherCores: number;
  peakRssMb: number;
  /** p50 of each round's pass, in round order (interleaved runs): how much the row moved within the run. */
  roundP50?: number[];
  /** Pages per second of each round's pass, in round order. */
  roundPagesPerSecond?: number[];
}

export interface BatchRow {
  /** Cores other processes took meanwhile. */
  otherCores: number;
  label: string;
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  peakRssMb: number;
  /** Pages per second of each round's batch, in round order (measured in the warm rounds). */
  roundPagesPerSecond?: number[];
  /** Timed passes over the pages in each round's batch. */
  passesPerRound?: number;
}

export interface ColdRow {
  key: ColdKey;
  label: string;
  command: string;
  firstResultMs: number;
  samplesMs: number[];
  /** Median CPU ms of the process to its first result. */
  cpuMs: number;
  /** Cores other processes took during the timed starts. */
  otherCores: number;
  peakRssMb: number;
}

export interface Accuracy {
  dataset: string;
  images: number;
  map50: number;
  map50_95: number;
  precision: number;
  recall: number;
  stateAccuracy: number;
}

export interface VariantRow {
  name: string;
  bytes: number;
  inferMs1: number;
  inferMsAll: number;
  accuracy: Accuracy[];
}

export interface BenchReport {
  date: string;
  command: string;
  machine: Machine;
  python?: { ultralytics: string; torch: string; torchThreads: number };
  /** 1-minute load average when the run started. */
  loadBefore: number;
  /** CPU that processes outside the benchmark took during the run. */
  otherLoad?: Contention;
  /** The operator's note on the run (--note). */
  note?: string;
  model: { file: string; sha: string };
  pages: { name: string; width: number; height: number; origin: PageOrigin }[];
  rounds: number;
  warm: WarmRow[];
  batch: BatchRow[];
  cold: ColdRow[];
  coldPage?: { name: string; width: number; height: number };
  profile: StageProfile[];
  variants: VariantRow[];
  skipped: string[];
  /** Facts about this run worth reading beside the numbers. */
  notes: string[];
  /** A cloud batch at several requests in flight (scripts/bench/cloud-fanout.ts). */
  cloudFanout?: FanoutRow[];
}

const f0 = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
/** Column of the cores other processes took while a row was measured. */
const OTHERS = 'other load (cores)';
const table = (head: string[], rows: string[][]): string =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

interface Criterion {
  name: string;
  ours?: { label: string; value: number };
  reference?: { label: string; value: number };
  unit: string;
  /** Pass when ours / reference <= maxRatio (or >= minRatio). */
  maxRatio?: number;
  minRatio?: number;
  /** The same ratio from each round alone, where both sides were measured in the same rounds. */
  byRound?: number[];
}

function criteria(r: BenchReport): Criterion[] {
  type Value = Criterion['ours'];
  const pick = <T extends { label: string }>(row: T | undefined, value: (t: T) => number): Value =>
    row ? { label: row.label, value: value(row) } : undefined;
  const warmOf = (k: WarmKey) => r.warm.find((w) => w.key === k);
  const warm = (k: WarmKey, value: (w: WarmRow) => number) => pick(warmOf(k), value);
  const cold = (k: ColdKey, value: (c: ColdRow) => number) =>
    pick(
      r.cold.find((c) => c.key === k),
      value,
    );
  const p50 = (k: WarmKey) => warm(k, (w) => w.p50);
  const warmRss = (k: WarmKey) => warm(k, (w) => w.peakRssMb);
  const rate = (k: WarmKey) => warm(k, (w) => w.pagesPerSecond);
  const start = (k: ColdKey) => cold(k, (c) => c.firstResultMs);
  const coldRss = (k: ColdKey) => cold(k, (c) => c.peakRssMb);
  const fastestBatch = [...r.batch].sort((a, b) => b.pagesPerSecond - a.pagesPerSecond)[0];
  const batch = pick(fastestBatch, (b) => b.pagesPerSecond);
  const row = (name: string, ours: Value, reference: Value, unit: string, target: Partial<Criterion> = {}) =>
    ({ name, ours, reference, unit, ...target }) as Criterion;
  // Our one-pass p50 against a reference row, with the per-round spread of the same two rows.
  const latency = (name: string, reference: WarmKey, target: Partial<Criterion>, ours: WarmKey = 'ours') =>
    row(name, p50(ours), p50(reference), 'ms', {
      ...target,
      byRound: roundRatios(warmOf(ours)?.roundP50, warmOf(reference)?.roundP50),
    });
  // The batch against a one-page row, with the per-round spread of the two.
  const throughput = (name: string, single: WarmKey) =>
    row(name, batch, rate(single), 'pages/s', {
      minRatio: 1.6,
      byRound: roundRatios(fastestBatch?.roundPagesPerSecond, warmOf(single)?.roundPagesPerSecond),
    });
  const half = { maxRatio: 1 / 2 };
  const tenth = { maxRatio: 1 / 10 };
  const third = { maxRatio: 1 / 3 };
  return [
    latency('Warm latency p50 vs Ultralytics PyTorch, same model', 'ul-pt', half),
    latency(
      "Warm latency p50 vs Ultralytics PyTorch, same model, with the app's and the Lambda's V8 heap",
      'ul-pt',
      half,
      'ours-heap',
    ),
    latency("Warm latency p50 vs predecessor's YOLO11m", 'predecessor', tenth),
    latency(
      'Warm latency p50 vs Ultralytics PyTorch, same model, as installed (its own thread default)',
      'ul-pt-installed',
      half,
    ),
    latency(
      "Warm latency p50 vs predecessor's YOLO11m as installed (its own thread default)",
      'predecessor-installed',
      tenth,
    ),
    row(
      'Cold start: Lambda handler vs Python service',
      start('lambda'),
      start('fastapi-predecessor'),
      'ms',
      tenth,
    ),
    row(
      'Cold start: CLI (bundled) vs Python service',
      start('cli-bundled'),
      start('fastapi-predecessor'),
      'ms',
      tenth,
    ),
    row(
      'Cold start: CLI (from source, tsx) vs Python service',
      start('cli'),
      start('fastapi-predecessor'),
      'ms',
      tenth,
    ),
    row(
      'Cold start: Lambda handler vs Python service, same model',
      start('lambda'),
      start('fastapi-same'),
      'ms',
      tenth,
    ),
    row(
      'Peak RSS: Lambda handler vs Python service',
      coldRss('lambda'),
      coldRss('fastapi-predecessor'),
      'MiB',
      third,
    ),
    row(
      'Peak RSS: Lambda handler vs Python service, same model',
      coldRss('lambda'),
      coldRss('fastapi-same'),
      'MiB',
      third,
    ),
    row(
      'Peak RSS: warm pipeline vs Ultralytics PyTorch, same model',
      warmRss('ours'),
      warmRss('ul-pt'),
      'MiB',
      third,
    ),
    throughput('Batch pages/s vs one page at a time', 'ours'),
    throughput("Batch pages/s vs one page at a time with the app's and the Lambda's V8 heap", 'ours-heap'),
    throughput('Batch pages/s vs one page at a time on one thread', 'ours-1t'),
  ];
}

/** Round-by-round ratios of two series measured in the same rounds (none when there was only one). */
function roundRatios(ours?: number[], reference?: number[]): number[] | undefined {
  if (!ours || !reference || ours.length !== reference.length || ours.length < 2) return undefined;
  return ours.map((v, i) => v / reference[i]!);
}

function acceptanceTable(r: BenchReport): string {
  const rows = criteria(r).map((c) => {
    const fmtRatio = c.maxRatio !== undefined ? f3 : (v: number) => `${v.toFixed(2)}x`;
    const byRound = c.byRound
      ? `${fmtRatio(Math.min(...c.byRound))}–${fmtRatio(Math.max(...c.byRound))}`
      : '';
    const fmt = (v?: { label: string; value: number }) =>
      v ? `${f1(v.value)} ${c.unit} (${v.label})` : 'not measured';
    if (!c.ours || !c.reference)
      return [
        c.name,
        fmt(c.ours),
        fmt(c.reference),
        'n/a',
        '',
        c.maxRatio ? `<= ${f3(c.maxRatio)}` : `>= ${c.minRatio}`,
        'not measured',
      ];
    const ratio = c.ours.value / c.reference.value;
    const pass = c.maxRatio !== undefined ? ratio <= c.maxRatio : ratio >= c.minRatio!;
    const target =
      c.maxRatio !== undefined
        ? `<= ${c.maxRatio === 1 / 3 ? '1/3' : `1/${Math.round(1 / c.maxRatio)}`}`
        : `>= ${c.minRatio}x`;
    const shown = c.maxRatio !== undefined ? `${f3(ratio)} (1/${f1(1 / ratio)})` : `${ratio.toFixed(2)}x`;
    return [c.name, fmt(c.ours), fmt(c.reference), shown, byRound, target, pass ? '**pass**' : '**FAIL**'];
  });
  return table(['criterion', 'ours', 'reference', 'ratio', 'ratio by round', 'target', 'result'], rows);
}

function pagesSummary(r: BenchReport): string {
  const origins: PageOrigin[] = ['fixture', 'generated', 'real-dev'];
  const parts = origins.flatMap((o) => {
    const ps = r.pages.filter((p) => p.origin === o);
    if (ps.length === 0) return [];
    const sizes = [...new Set(ps.map((p) => `${p.width}x${p.height}`))].join(', ');
    const what = {
      fixture: 'project fixtures (tests/fixtures; TIFF/PDF pages written out as PNG)',
      generated: 'full-size pages rendered by the fixture generator (JPEG, letter at 200 dpi)',
      'real-dev': 'real-dev images (read in place, not in the repository)',
    }[o];
    return [`${ps.length} ${what}: ${sizes}`];
  });
  return (
    `${r.pages.length} pages, the same files for every engine — ${parts.join('; ')}. ` +
    `Warm rows are measured in ${r.rounds} round${r.rounds > 1 ? 's' : ''}, the engines taking turns: in each round every engine starts ` +
    'a fresh process, makes one untimed pass over all pages and then one timed pass, so a slow spell of the machine weighs on every row alike.'
  );
}

function batchMethod(r: BenchReport): string {
  const passes = r.batch[0]?.passesPerRound;
  if (passes === undefined)
    return 'The same pages, all rounds, as one batch; the ratio is against our default one-page-at-a-time rate.';
  return (
    `Measured in the warm rounds, after the one-page rows: in each round every configuration starts a fresh ` +
    `process, makes one untimed pass over the pages and then times ${passes} passes as one batch. Pages/s is ` +
    "every round's pages over their summed time; the ratio is against our default one-page-at-a-time rate " +
    'from the same rounds.'
  );
}

function chartPanels(r: BenchReport): ChartPanel[] {
  const warmShort: Record<WarmKey, string> = {
    ours: 'Ours, one pass',
    'ours-heap': `Ours, one pass, ${WORKER_INITIAL_OLD_SPACE_MB} MiB old generation`,
    'ours-1t': 'Ours, one pass, 1 thread',
    'ours-tiled': 'Ours as shipped (tiling auto)',
    'ours-twin': 'Ours, one pass, other-precision twin',
    'ul-pt': 'Ultralytics PyTorch, same model',
    'ul-onnx': 'Ultralytics, our ONNX',
    'ul-pt-installed': 'Ultralytics PyTorch, its thread default',
    'predecessor-installed': 'Predecessor YOLO11m, its thread default',
    predecessor: 'Predecessor YOLO11m PyTorch',
  };
  const coldShort: Record<ColdKey, string> = {
    cli: 'Ours: CLI (tsx)',
    'cli-bundled': 'Ours: CLI (bundled)',
    lambda: 'Ours: Lambda handler',
    'fastapi-predecessor': 'FastAPI + YOLO11m (predecessor)',
    'fastapi-same': 'FastAPI + same model',
  };
  const ours = (k: string) => k.startsWith('ours') || k.startsWith('cli') || k === 'lambda';
  return [
    {
      title: 'Warm latency per page, p50 (ms) — lower is better',
      unit: 'ms',
      bars: r.warm.map((w) => ({ label: warmShort[w.key], value: w.p50, ours: ours(w.key) })),
    },
    {
      title: 'Cold start to first result (s) — lower is better',
      unit: 's',
      bars: r.cold.map((c) => ({
        label: coldShort[c.key],
        value: c.firstResultMs / 1000,
        ours: ours(c.key),
      })),
    },
    {
      title: 'Peak RSS (MiB) — lower is better',
      unit: 'MiB',
      bars: [
        ...r.cold.map((c) => ({ label: coldShort[c.key], value: c.peakRssMb, ours: ours(c.key) })),
        ...r.warm
          .filter((w) => w.key === 'ours' || w.key === 'ul-pt')
          .map((w) => ({ label: `${warmShort[w.key]}, warm`, value: w.peakRssMb, ours: ours(w.key) })),
      ],
    },
  ];
}

export function renderMarkdown(r: BenchReport, chartFile: string): string {
  const m = r.machine;
  const warmRows = r.warm.map((w) => [
    w.label,
    w.runtime,
    w.model,
    f1(w.p50),
    f1(w.p95),
    f1(w.pagesPerSecond),
    f1(w.cpuP50),
    f0(w.peakRssMb),
    f2(w.otherCores),
  ]);
  const single = r.warm.find((w) => w.key === 'ours');
  const batchRows = r.batch.map((b) => [
    b.label,
    f1(b.pagesPerSecond),
    single ? `${(b.pagesPerSecond / single.pagesPerSecond).toFixed(2)}x` : 'n/a',
    f0(b.peakRssMb),
    f2(b.otherCores),
  ]);
  const coldRows = r.cold.map((c) => [
    c.label,
    `\`${c.command}\``,
    f0(c.firstResultMs),
    c.samplesMs.map(f0).join(', '),
    f0(c.cpuMs),
    f0(c.peakRssMb),
    f2(c.otherCores),
  ]);
  const profileRows = r.profile.map((p) => [
    p.label,
    f1(p.stages.decode),
    f1(p.stages.letterbox),
    f1(p.stages.infer),
    f1(p.stages.post),
    f1(p.stages.total),
    f0(p.sessionCreateMs),
    f0(p.peakRssMb),
    String(p.boxesPerPass),
  ]);
  const variantRows = r.variants.flatMap((v) =>
    (v.accuracy.length ? v.accuracy : [undefined]).map((a, i) => [
      i === 0 ? v.name : '',
      i === 0 ? f1(v.bytes / 1e6) : '',
      i === 0 ? f1(v.inferMs1) : '',
      i === 0 ? f1(v.inferMsAll) : '',
      a ? `${a.dataset} (${a.images})` : 'not scored',
      a ? f3(a.map50) : '',
      a ? f3(a.map50_95) : '',
      a ? f3(a.precision) : '',
      a ? f3(a.recall) : '',
      a ? f3(a.stateAccuracy) : '',
    ]),
  );
  const o = r.otherLoad;
  // The load average also counts what ran just before the run; the sampled other load is what ran during it.
  const busy = o ? o.meanCores > 0.1 || o.maxCores > 0.5 : r.loadBefore > 1;
  const otherLine = o
    ? `other processes used ${o.meanCores.toFixed(2)} cores on average during the ${Math.round(o.seconds)} s run, ` +
      `at most ${o.maxCores.toFixed(2)} over a few seconds (busiest: ${o.busiest.map((b) => `${b.command} ${b.cores.toFixed(2)}`).join(', ')})`
    : 'other processes not sampled';
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (scripts/bench/); every number below comes from that one run on one machine. Do not edit by hand.`,
    '',
    `- **Command:** \`${r.command}\``,
    `- **Date:** ${r.date}`,
    `- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}`,
    `- **Runtimes:** Node ${m.node}, onnxruntime-node ${m.onnxruntime}, sharp ${m.sharp}` +
      (r.python
        ? `; Python references: Ultralytics ${r.python.ultralytics}, torch ${r.python.torch} (${r.python.torchThreads} threads: OMP_NUM_THREADS set to the core count)`
        : ''),
    `- **Model:** ${r.model.file} (sha256 ${r.model.sha}); commit ${m.commit}`,
    `- **Contention:** load average ${r.loadBefore.toFixed(2)} at the start; ${otherLine}` +
      (busy ? ' — **the machine was shared: absolute numbers are pessimistic**' : ''),
    ...(r.note ? [`- **Note:** ${r.note}`] : []),
    `- **Pages:** ${pagesSummary(r)}`,
    '',
    `![Benchmark chart](${path.basename(chartFile)})`,
    '',
    '## Acceptance (ratios from this run)',
    '',
    acceptanceTable(r),
    '',
    'The verdicts use the whole run. "Ratio by round" is the same ratio from each round alone (smallest–largest): ' +
      'how far the machine drifted within the run.',
    '',
    '## Warm: one page at a time',
    '',
    'Each sample is one page from its file on disk to the finished result: read, decode, letterbox, inference, box decoding and NMS. ' +
      '"One pass" rows run the model once per page, as Ultralytics does; the acceptance ratios use them. ' +
      '"As shipped" adds the Detector\'s tiling of big pages (more passes, for small boxes), so it does more work than the references. ' +
      'Our rows run in the main thread of a plain `node` process, as the CLI runs the pages of a document, except the row ' +
      `started with a ${WORKER_INITIAL_OLD_SPACE_MB} MiB initial old generation: that is how` +
      " the app's detection workers and the Lambda function " +
      'start V8 (without it V8 runs a full collection every few pages). ' +
      'Ultralytics is timed around `model.predict(file)`, which does the same steps. ' +
      'CPU ms/page counts every thread of the measuring process (onnxruntime or PyTorch workers, libvips), so it shows ' +
      'the work a page costs even when other processes share the machine. ' +
      '"Other load" is the cores that processes outside the benchmark took while the row was measured (0.00: the machine was ours).',
    '',
    table(
      [
        'engine',
        'runtime',
        'model',
        'p50 ms',
        'p95 ms',
        'pages/s',
        'CPU ms/page (p50)',
        'peak RSS MiB',
        OTHERS,
      ],
      warmRows,
    ),
    '',
    '## Batch: pages per second',
    '',
    batchMethod(r),
    '',
    batchRows.length
      ? table(['configuration', 'pages/s', 'vs one at a time', 'peak RSS MiB', OTHERS], batchRows)
      : '_not measured_',
    '',
    ...fanoutSection(r.cloudFanout ?? []),
    `## Cold start: process start to first result${r.coldPage ? ` (${r.coldPage.name}, ${r.coldPage.width}x${r.coldPage.height})` : ''}`,
    '',
    'A fresh process each time; one untimed start first so every process finds its files in the page cache. ' +
      'The page is the largest one our shipped pipeline detects in one model pass (bigger pages are also tiled), so every process does the same work. ' +
      "The Lambda row imports the handler bundle (its top-level await loads the model, as Lambda's init phase does) and invokes it with a Function URL event; " +
      'the Python rows spawn a FastAPI + Ultralytics service and poll `POST /predict` until it answers. ' +
      "Peak RSS: GNU time's maximum for processes that exit, VmHWM for the services.",
    '',
    coldRows.length
      ? table(['process', 'command', 'median ms', 'samples ms', 'CPU ms', 'peak RSS MiB', OTHERS], coldRows)
      : '_not measured_',
    '',
    '## Where the time goes',
    '',
    "Median ms per page of each stage of our pipeline (scripts/bench/profile.ts runs the core's own stage functions under the session options shown).",
    '',
    profileRows.length
      ? table(
          [
            'variant',
            'read+decode',
            'letterbox',
            'inference',
            'boxes+NMS',
            'total',
            'session ms',
            'peak RSS MiB',
            'boxes/pass',
          ],
          profileRows,
        )
      : '_not measured_',
    '',
    '## Precision',
    '',
    'The bundled model and its twin in the other precision, from the same weights (scripts/train/export.py for float32, ' +
      'scripts/train/quantize.py for int8: static QDQ calibrated on generated pages only). Accuracy by `checkbox-detector eval` ' +
      '(AP over the precision-recall curve; precision, recall and state accuracy at conf 0.2).',
    '',
    variantRows.length
      ? table(
          [
            'variant',
            'MB',
            'infer ms, 1 thread',
            `infer ms, ${m.cores} threads`,
            'dataset (images)',
            'mAP50',
            'mAP50-95',
            'P',
            'R',
            'state acc',
          ],
          variantRows,
        )
      : '_not measured_',
    '',
    ...(r.notes.length ? ['## Notes on this run', '', ...r.notes.map((s) => `- ${s}`), ''] : []),
    ...(r.skipped.length ? ['## Left out of this run', '', ...r.skipped.map((s) => `- ${s}`), ''] : []),
  ];
  return lines.join('\n');
}

/** Everything after this line in the report is written by hand and carried over when the report is rewritten. */
export const NOTES_MARKER = '<!-- Hand-written notes below: npm run bench keeps them. -->';

async function handWrittenNotes(mdFile: string): Promise<string> {
  const old = await readFile(mdFile, 'utf8').catch(() => '');
  const at = old.indexOf(NOTES_MARKER);
  return at < 0 ? `${NOTES_MARKER}\n` : old.slice(at);
}

/** Write the markdown (keeping its hand-written notes) and the chart, each to a temp file renamed into place. */
export async function writeReport(r: BenchReport, mdFile: string): Promise<string[]> {
  const pngFile = mdFile.replace(/\.md$/i, '') + '.png';
  await mkdir(path.dirname(mdFile), { recursive: true });
  const png = await renderChart(
    chartPanels(r),
    `Checkbox Detector benchmarks — ${r.machine.cpu}, ${r.machine.cores} cores — ${r.date.slice(0, 10)}`,
  );
  const md = `${renderMarkdown(r, pngFile)}\n${await handWrittenNotes(mdFile)}`;
  for (const [file, data] of [
    [pngFile, png],
    [mdFile, md],
  ] as const) {
    await writeFile(`${file}.tmp`, data);
    await rename(`${file}.tmp`, file);
  }
  return [mdFile, pngFile];
}
