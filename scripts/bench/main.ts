// npm run bench [-- options]: our pipeline against the Python reference, in one run on one machine —
// warm latency and batch throughput, cold start, peak RSS, a stage profile and reduced-precision variants —
// written to docs/benchmarks.md and docs/benchmarks.png. See --help.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EvalReport } from '../../src-cli/eval-command.js';
import { Detector } from '../../src-core/index.js';
import { wantsTiles } from '../../src-core/tiling.js';
import { WORKER_INITIAL_OLD_SPACE_MB } from '../../src-core/spawn-worker.js';
import {
  bundleChildren,
  findPython,
  runChild,
  runNodeChild,
  runPythonChild,
  type PythonEnv,
} from './children.js';
import { coldProcess, coldServer, freePort, type ColdSample, type ProcessSpec } from './cold.js';
import { cloudFanoutRows, fanoutShortfall } from './cloud-fanout.js';
import { ContentionMonitor } from './contention.js';
import { describeMachine, loadAverage } from './machine.js';
import { preparePages, type BenchPage } from './pages.js';
import type { StageProfile } from './profile.js';
import type { WarmResult } from './protocol.js';
import {
  writeReport,
  type BatchRow,
  type BenchReport,
  type ColdKey,
  type ColdRow,
  type VariantRow,
  type WarmKey,
  type WarmRow,
} from './report.js';
import { median, summarize } from './stats.js';

const USAGE = `Usage: npm run bench -- [options]

  --rounds <n>      warm rounds: each gives every engine one timed pass over the pages, in turn (default 5)
  --cold-reps <n>   cold starts per process, median reported (default 3)
  --generated <n>   full-size pages rendered by the fixture generator (default 4)
  --real-dev <dir>  YOLO folder of real pages (default ../shared/data/real-dev; skipped when absent)
  --quick           smoke run: 1 page per origin, 1 round, 1 cold start, no variants
  --no-python       skip the Python references
  --no-variants     skip the other-precision twin and the session-option sweep
  --note <text>     a line for the report, e.g. what else was running
  --render <json>   only rewrite the report from a run's raw results (benchmarks.json), measuring nothing
  --out <file.md>   report path (default docs/benchmarks.md, or .cache/bench/quick.md with --quick;
                    the chart goes beside it as .png)
`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = (file: string): string => path.join(root, 'scripts/bench', file);
/** The Node children, bundled before the run (see bundleChildren). */
const bundled = new Map<string, string>();
const child = (file: string): string => bundled.get(here(file))!;
const CLI_ENTRY = path.join(root, 'src-cli/main.ts');
const POOL_WORKER = path.join(root, 'src-core/pool-worker.ts');
const log = (msg: string): void => console.error(`[bench] ${msg}`);

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'cold-reps': { type: 'string', default: '3' },
    generated: { type: 'string', default: '4' },
    'real-dev': { type: 'string', default: path.resolve(root, '../shared/data/real-dev') },
    quick: { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
    'no-variants': { type: 'boolean', default: false },
    note: { type: 'string' },
    render: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const quick = values.quick!;
// A smoke run never overwrites the published report unless asked to.
const outFile = path.resolve(
  values.out ?? path.join(root, quick ? '.cache/bench/quick.md' : 'docs/benchmarks.md'),
);
const rounds = quick ? 1 : Number(values.rounds);
const coldReps = quick ? 1 : Number(values['cold-reps']);
const modelPath = process.env.CHECKBOX_MODEL
  ? path.resolve(process.env.CHECKBOX_MODEL)
  : path.join(root, 'models/checkbox-detector.onnx');
const ptPath = modelPath.replace(/\.onnx$/i, '.pt');
/** Quantised exports carry QLinearConv nodes (the float stem's QuantizeLinear is gone since s2d_stem.py). */
const modelKind = readFileSync(modelPath).includes('QLinearConv') ? 'int8' : 'fp32';
const bundledName = `${modelKind} (bundled)`;
const skipped: string[] = [];

const others = new ContentionMonitor();
const workDir = await mkdtemp(path.join(os.tmpdir(), 'checkbox-bench-'));
const variantsDir = path.join(root, '.cache/bench/variants');
const report: BenchReport = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: describeMachine(root),
  loadBefore: loadAverage(),
  model: { file: path.relative(root, modelPath), sha: sha12(modelPath) },
  pages: [],
  rounds,
  warm: [],
  batch: [],
  cold: [],
  profile: [],
  variants: [],
  skipped,
  notes: [],
  ...(values.note ? { note: values.note } : {}),
};

function sha12(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
}

/** Pages per second one page at a time: samples over their summed time. */
const ratePerSecond = (samples: { ms: number }[]): number =>
  (samples.length / samples.reduce((a, s) => a + s.ms, 0)) * 1000;

function warmRow(
  r: WarmResult,
  key: WarmKey,
  runtime: string,
  model: string,
  byRound: { p50: number[]; pagesPerSecond: number[] },
): WarmRow {
  const ms = r.samples.map((s) => s.ms);
  return {
    cpuP50: median(r.samples.map((s) => s.cpuMs)),
    key,
    label: r.label,
    runtime,
    model,
    ...summarize(ms),
    pagesPerSecond: ratePerSecond(r.samples),
    peakRssMb: r.peakRssMb,
    otherCores: r.otherCores ?? Number.NaN,
    roundP50: byRound.p50,
    roundPagesPerSecond: byRound.pagesPerSecond,
  };
}

/** Run a measuring child and note how many cores other processes took meanwhile. */
async function measured<T extends { otherCores?: number }>(run: () => Promise<T>): Promise<T> {
  others.window();
  const r = await run();
  r.otherCores = others.window();
  return r;
}

/** One warm row, run as several short passes interleaved with the other rows' (see interleavedRounds). */
interface WarmSpec {
  key: WarmKey;
  label: string;
  runtime: string;
  model: string;
  /** A fresh child: one untimed pass over the pages, then `passes` timed ones. */
  run: (passes: number) => Promise<WarmResult>;
}

function oursChild(
  pagesFile: string,
  args: string[],
  passes: number,
  model = modelPath,
  nodeArgs: string[] = [],
): Promise<WarmResult> {
  return runNodeChild<WarmResult>(
    child('ours-warm.ts'),
    ['--pages', pagesFile, '--rounds', String(passes), '--model', model, ...args],
    { cwd: root },
    nodeArgs,
  );
}

/** How the app's detection workers and the Lambda function start V8 (src-core/spawn-worker.ts,
 *  lambda/exec-wrapper.sh); the CLI's own thread keeps V8's default. */
const SHIPPED_HEAP = [`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`];

function ourWarmSpecs(pagesFile: string, twin?: VariantFile): WarmSpec[] {
  const runtime = `onnxruntime-node ${report.machine.onnxruntime}`;
  const model = `bundled model (${modelKind})`;
  // One model pass per page, as Ultralytics does: the like-for-like rows the acceptance ratios use.
  const singles: [WarmKey, string, string[], string[]?][] = [
    ['ours', 'Ours: one pass per page, default threads', ['--tiling', 'off']],
    [
      'ours-heap',
      `Ours: one pass per page, default threads, ${WORKER_INITIAL_OLD_SPACE_MB} MiB initial old generation (as the app's workers and the Lambda start V8)`,
      ['--tiling', 'off'],
      SHIPPED_HEAP,
    ],
    ['ours-1t', 'Ours: one pass per page, 1 thread', ['--tiling', 'off', '--threads', '1']],
    ['ours-tiled', 'Ours as shipped: big pages also tiled (tiling auto)', ['--tiling', 'auto']],
  ];
  const specs = singles.map(([key, label, args, nodeArgs]) => ({
    key,
    label,
    runtime,
    model,
    run: (passes: number) =>
      oursChild(pagesFile, ['--mode', 'single', '--label', label, ...args], passes, modelPath, nodeArgs),
  }));
  if (twin) {
    // The same pipeline with the other precision of the same weights (see "Precision").
    const label = `Ours: one pass per page, the ${twin.name} twin of the bundled model, default threads`;
    specs.push({
      key: 'ours-twin',
      label,
      runtime,
      model: `bundled model's ${twin.name} twin`,
      run: (passes) =>
        oursChild(pagesFile, ['--mode', 'single', '--label', label, '--tiling', 'off'], passes, twin.file),
    });
  }
  return specs;
}

/** A batch configuration of our pipeline: a fresh child that times `passes` passes over the pages as one batch. */
interface BatchSpec {
  label: string;
  run: (passes: number) => Promise<WarmResult>;
}

/** Passes over the pages in each round's batch: long enough that the last file's tail (one worker finishing
 *  while the other has nothing left) is a small part of it. */
const BATCH_PASSES = 5;

function ourBatchSpecs(pagesFile: string): BatchSpec[] {
  const cores = os.cpus().length;
  return (
    [
      ['pool', 1, `DetectorPool (as the CLI runs a batch): ${cores} workers x 1 onnxruntime thread`],
      ['async', 0, `one session (default threads), ${cores} pages in flight`],
    ] as const
  ).map(([mode, threads, label]) => ({
    label,
    run: (passes: number) =>
      oursChild(
        pagesFile,
        [
          '--mode',
          mode,
          '--threads',
          String(threads),
          '--lanes',
          String(cores),
          '--tiling',
          'off',
          '--label',
          label,
        ],
        passes,
      ),
  }));
}

/**
 * Every warm row and every batch configuration, measured in `rounds` rounds: in each round every row gets one
 * timed pass over the pages, and every batch configuration one batch, each in a fresh child. A machine that
 * slows down or speeds up for a while (a shared host does) then weighs on every row alike, instead of on
 * whichever row was running at the time — the batch against the one-page rate included.
 */
async function interleavedRounds(specs: WarmSpec[], batches: BatchSpec[]): Promise<void> {
  const merged = new Map<WarmKey, WarmResult>();
  const roundP50 = new Map<WarmKey, number[]>();
  const roundRate = new Map<WarmKey, number[]>();
  const batchRows: BatchRow[] = batches.map((b) => ({
    label: b.label,
    pages: 0,
    seconds: 0,
    pagesPerSecond: Number.NaN,
    peakRssMb: 0,
    otherCores: 0,
    roundPagesPerSecond: [],
    passesPerRound: BATCH_PASSES,
  }));
  const push = (map: Map<WarmKey, number[]>, key: WarmKey, v: number) =>
    map.set(key, [...(map.get(key) ?? []), v]);
  for (let round = 1; round <= rounds; round++) {
    for (const spec of specs) {
      log(`warm, round ${round}/${rounds}: ${spec.label}`);
      const r = await measured(() => spec.run(1));
      push(roundP50, spec.key, median(r.samples.map((s) => s.ms)));
      push(roundRate, spec.key, ratePerSecond(r.samples));
      const before = merged.get(spec.key);
      merged.set(
        spec.key,
        before
          ? {
              ...before,
              samples: [...before.samples, ...r.samples],
              peakRssMb: Math.max(before.peakRssMb, r.peakRssMb),
              otherCores: Math.max(before.otherCores ?? 0, r.otherCores ?? 0),
            }
          : r,
      );
    }
    for (const [i, spec] of batches.entries()) {
      log(`batch, round ${round}/${rounds}: ${spec.label}`);
      const r = await measured(() => spec.run(BATCH_PASSES));
      const row = batchRows[i]!;
      row.pages += r.batch!.pages;
      row.seconds += r.batch!.seconds;
      row.roundPagesPerSecond!.push(r.batch!.pagesPerSecond);
      row.peakRssMb = Math.max(row.peakRssMb, r.peakRssMb);
      row.otherCores = Math.max(row.otherCores, r.otherCores ?? 0);
    }
  }
  for (const spec of specs)
    report.warm.push(
      warmRow(merged.get(spec.key)!, spec.key, spec.runtime, spec.model, {
        p50: roundP50.get(spec.key)!,
        pagesPerSecond: roundRate.get(spec.key)!,
      }),
    );
  report.batch.push(...batchRows.map((b) => ({ ...b, pagesPerSecond: b.pages / b.seconds })));
}

function pythonWarmSpecs(py: PythonEnv, pagesFile: string): WarmSpec[] {
  const same = existsSync(ptPath) ? ptPath : 'yolo11n.yaml';
  if (same === 'yolo11n.yaml')
    skipped.push(
      `${path.relative(root, ptPath)} not found: the same-model PyTorch reference is an untrained YOLO11n with 2 classes (same architecture, same speed).`,
    );
  // Ultralytics as installed, as the predecessor ran it: it pins torch to cores - 1 threads (OMP_NUM_THREADS=1
  // when unset, then select_device()); informational, the acceptance ratios use the all-cores rows.
  const { OMP_NUM_THREADS: _omp, ...plainEnv } = py.env;
  const installed: PythonEnv = {
    python: py.python,
    env: { ...plainEnv, BENCH_ULTRALYTICS_DEFAULT_THREADS: '1' },
  };
  const refs: [WarmKey, string, string, string, string, PythonEnv?][] = [
    [
      'ul-pt',
      'Ultralytics, PyTorch, same model',
      same,
      'PyTorch',
      same === ptPath ? 'bundled model (.pt)' : 'YOLO11n, untrained, 2 classes',
    ],
    ['ul-onnx', 'Ultralytics, our ONNX file', modelPath, 'onnxruntime (Python)', 'bundled model (.onnx)'],
    [
      'predecessor',
      'Predecessor: Ultralytics YOLO11m, PyTorch',
      'yolo11m.yaml',
      'PyTorch',
      'YOLO11m, untrained, 2 classes',
    ],
    [
      'ul-pt-installed',
      `Ultralytics, PyTorch, same model, its own thread default (${Math.max(1, os.cpus().length - 1)} here)`,
      same,
      'PyTorch',
      same === ptPath ? 'bundled model (.pt)' : 'YOLO11n, untrained, 2 classes',
      installed,
    ],
    [
      'predecessor-installed',
      `Predecessor: Ultralytics YOLO11m, PyTorch, its own thread default (${Math.max(1, os.cpus().length - 1)} here)`,
      'yolo11m.yaml',
      'PyTorch',
      'YOLO11m, untrained, 2 classes',
      installed,
    ],
  ];
  return refs.map(([key, label, model, runtime, modelName, env]) => ({
    key,
    label,
    // The torch version is known once a child has reported it.
    get runtime() {
      return runtime === 'PyTorch' && report.python ? `PyTorch ${report.python.torch}` : runtime;
    },
    model: modelName,
    run: async (passes: number) => {
      const r = await runPythonChild<WarmResult>(
        env ?? py,
        here('python/ultra_warm.py'),
        ['--pages', pagesFile, '--model', model, '--rounds', String(passes), '--label', label],
        root,
      );
      const notes = r.notes ?? {};
      report.python ??= {
        ultralytics: String(notes.ultralytics),
        torch: String(notes.torch),
        torchThreads: Number(notes.torchThreads),
      };
      return r;
    },
  }));
}

async function ensureLambdaBundle(): Promise<string> {
  const bundle = path.join(root, 'dist/lambda/index.mjs');
  const bundledModel = path.join(root, 'dist/lambda/models/checkbox-detector.onnx');
  if (!existsSync(bundle) || !existsSync(bundledModel) || sha12(bundledModel) !== sha12(modelPath)) {
    log('building the Lambda bundle (npm run lambda:build): missing or holding another model');
    await runChild('npm', ['run', 'lambda:build'], { cwd: root });
  }
  report.notes.push(
    `The Lambda rows ran dist/lambda as built at ${statSync(bundle).mtime.toISOString()} (npm run lambda:build).`,
  );
  return bundle;
}

async function coldRuns(
  key: ColdKey,
  label: string,
  command: string,
  runOnce: () => Promise<ColdSample>,
): Promise<ColdRow> {
  log(`cold start: ${label}`);
  await runOnce(); // fills the file cache; not counted
  const samples: ColdSample[] = [];
  others.window();
  for (let i = 0; i < coldReps; i++) samples.push(await runOnce());
  return {
    otherCores: others.window(),
    key,
    label,
    command,
    firstResultMs: median(samples.map((s) => s.firstResultMs)),
    samplesMs: samples.map((s) => s.firstResultMs),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
}

async function coldOurs(page: BenchPage): Promise<void> {
  // bin/checkbox-detector.js runs the sources through tsx whenever they are there, as in this checkout.
  const builtCli = !existsSync(CLI_ENTRY) && existsSync(path.join(root, 'dist/src-cli/main.js'));
  const cli: ProcessSpec = {
    command: process.execPath,
    args: ['bin/checkbox-detector.js', 'detect', '--format', 'jsonl', page.file],
    cwd: root,
  };
  report.cold.push(
    await coldRuns(
      'cli',
      `Ours: CLI from the repository (${builtCli ? 'compiled dist/' : 'TypeScript through tsx'})`,
      'node bin/checkbox-detector.js detect --format jsonl <page>',
      () => coldProcess(cli, (line) => line.startsWith('{')),
    ),
  );
  // As a packaged CLI runs: one esbuild bundle in plain Node, without tsx compiling the sources at start.
  const bundledCli: ProcessSpec = {
    command: process.execPath,
    args: [bundled.get(CLI_ENTRY)!, 'detect', '--format', 'jsonl', page.file],
    cwd: root,
  };
  report.cold.push(
    await coldRuns(
      'cli-bundled',
      'Ours: CLI bundled (esbuild, as a packaged build runs it)',
      'node .cache/bench/js/main.mjs detect --format jsonl <page>',
      () => coldProcess(bundledCli, (line) => line.startsWith('{')),
    ),
  );
  const bundle = await ensureLambdaBundle();
  const lambda: ProcessSpec = {
    command: process.execPath,
    args: [here('lambda-invoke.mjs'), bundle, page.file],
    cwd: root,
  };
  report.cold.push(
    await coldRuns(
      'lambda',
      'Ours: Lambda handler bundle',
      'node scripts/bench/lambda-invoke.mjs dist/lambda/index.mjs <page>',
      () =>
        coldProcess(lambda, (line) => line.startsWith('COLD_RESULT') && line.includes('"statusCode":200')),
    ),
  );
}

async function coldPython(py: PythonEnv, page: BenchPage): Promise<void> {
  const bytes = await readFile(page.file);
  const servers: [ColdKey, string, string][] = [
    ['fastapi-predecessor', 'Predecessor: FastAPI + Ultralytics YOLO11m (PyTorch)', 'yolo11m.yaml'],
    existsSync(ptPath)
      ? ['fastapi-same', 'FastAPI + Ultralytics, same model (PyTorch)', ptPath]
      : ['fastapi-same', 'FastAPI + Ultralytics, untrained YOLO11n (PyTorch)', 'yolo11n.yaml'],
  ];
  for (const [key, label, model] of servers) {
    const once = async (): Promise<ColdSample> => {
      const port = await freePort();
      const spec: ProcessSpec = {
        command: py.python,
        args: [here('python/predict_server.py'), '--model', model, '--port', String(port)],
        cwd: root,
        env: py.env,
      };
      return coldServer(spec, () => {
        const form = new FormData();
        form.append('file', new Blob([bytes]), path.basename(page.file));
        return fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', body: form });
      });
    };
    report.cold.push(
      await coldRuns(
        key,
        label,
        `python scripts/bench/python/predict_server.py --model ${path.basename(model)}, POST /predict`,
        once,
      ),
    );
  }
}

async function profileRun(
  label: string,
  model: string,
  pagesFile: string,
  args: string[],
): Promise<StageProfile> {
  log(`profile: ${label}`);
  const r = await runNodeChild<StageProfile>(
    child('profile.ts'),
    [
      '--model',
      model,
      '--pages',
      pagesFile,
      '--rounds',
      String(Math.max(1, Math.ceil(rounds / 2))),
      '--label',
      label,
      ...args,
    ],
    { cwd: root },
  );
  report.profile.push(r);
  return r;
}

async function evalModel(model: string, dataset: string): Promise<EvalReport> {
  const out = await runChild(
    process.execPath,
    ['bin/checkbox-detector.js', 'eval', '--json', '--model', model, dataset],
    { cwd: root },
  );
  return JSON.parse(out) as EvalReport;
}

/** Datasets the variants are scored on: real-dev, and the training set's validation split when it is here. */
async function evalDatasets(): Promise<{ name: string; dir: string }[]> {
  const sets: { name: string; dir: string }[] = [];
  if (existsSync(path.join(values['real-dev']!, 'images')))
    sets.push({ name: 'real-dev', dir: values['real-dev']! });
  const formsVal = path.join(root, 'datasets/forms');
  if (existsSync(path.join(formsVal, 'images/val'))) {
    // eval reads <dir>/images and <dir>/labels: point them at the val split.
    const dir = path.join(workDir, 'forms-val');
    await mkdir(dir);
    await symlink(path.join(formsVal, 'images/val'), path.join(dir, 'images'));
    await symlink(path.join(formsVal, 'labels/val'), path.join(dir, 'labels'));
    sets.push({ name: 'forms val (generated)', dir });
  }
  return sets;
}

const threadsLabel = (n: number): string => `${n} thread${n > 1 ? 's' : ''}`;

interface VariantFile {
  name: string;
  file: string;
  bytes: number;
}

/**
 * The bundled model in the other precision: its float32 export from the .pt when it ships int8, else an int8
 * quantisation of it (calibrated on generated pages only), made with the training pipeline's own scripts.
 */
async function makeTwin(py: PythonEnv, calibFile: string): Promise<VariantFile | undefined> {
  await mkdir(variantsDir, { recursive: true });
  if (modelKind === 'int8') {
    if (!existsSync(ptPath)) {
      skipped.push(`${path.relative(root, ptPath)} not found: no float32 twin of the int8 model to compare.`);
      return undefined;
    }
    log('exporting the float32 twin of the model (scripts/train/export.py --onnx-only)');
    const out = path.join(variantsDir, 'fp32');
    await runChild(
      py.python,
      [path.join(root, 'scripts/train/export.py'), ptPath, '--out', out, '--onnx-only'],
      {
        cwd: root,
        env: py.env,
      },
    );
    return { name: 'fp32', file: `${out}.onnx`, bytes: statSync(`${out}.onnx`).size };
  }
  log('quantising an int8 twin of the model (scripts/train/quantize.py)');
  const file = path.join(variantsDir, 'int8.onnx');
  const calib = (JSON.parse(await readFile(calibFile, 'utf8')) as BenchPage[]).map((p) => p.file);
  await runChild(
    py.python,
    [path.join(root, 'scripts/train/quantize.py'), modelPath, '--calib', ...calib, '--out', file],
    {
      cwd: root,
      env: py.env,
    },
  );
  return { name: 'int8', file, bytes: statSync(file).size };
}

async function sessionOptionSweep(pagesFile: string, cores: number): Promise<void> {
  const all = ['--threads', String(cores)];
  await profileRun(`${bundledName}, ${threadsLabel(1)}`, modelPath, pagesFile, ['--threads', '1']);
  await profileRun(`${bundledName}, ${threadsLabel(cores)}`, modelPath, pagesFile, all);
  for (const opt of ['disabled', 'basic', 'extended']) {
    await profileRun(
      `${bundledName}, ${threadsLabel(cores)}, graph optimisation ${opt}`,
      modelPath,
      pagesFile,
      [...all, '--opt', opt],
    );
  }
  await profileRun(`${bundledName}, ${threadsLabel(cores)}, no spin-waiting`, modelPath, pagesFile, [
    ...all,
    '--no-spin',
  ]);
  await profileRun(
    `${bundledName}, ${threadsLabel(cores)}, spin-waiting only during a run`,
    modelPath,
    pagesFile,
    [...all, '--spin-stop'],
  );
  await profileRun(`${bundledName}, ${threadsLabel(cores)}, no memory pattern`, modelPath, pagesFile, [
    ...all,
    '--no-mem-pattern',
  ]);
}

async function scoreVariant(
  v: VariantFile,
  pagesFile: string,
  cores: number,
  datasets: { name: string; dir: string }[],
): Promise<VariantRow> {
  const infer: number[] = [];
  for (const threads of [1, cores]) {
    const label = `${v.name}, ${threadsLabel(threads)}`;
    const done = report.profile.find((p) => p.label === label);
    infer.push(
      (done ?? (await profileRun(label, v.file, pagesFile, ['--threads', String(threads)]))).stages.infer,
    );
  }
  const row: VariantRow = {
    name: v.name,
    bytes: v.bytes,
    inferMs1: infer[0]!,
    inferMsAll: infer[1]!,
    accuracy: [],
  };
  for (const d of datasets) {
    log(`eval ${v.name} on ${d.name}`);
    const e = await evalModel(v.file, d.dir);
    const { precision, recall, stateAccuracy } = e.atConf;
    row.accuracy.push({
      dataset: d.name,
      images: e.images,
      map50: e.map50,
      map50_95: e.map50_95,
      precision,
      recall,
      stateAccuracy,
    });
  }
  return row;
}

async function variants(pagesFile: string, twin?: VariantFile): Promise<void> {
  const cores = os.cpus().length;
  await sessionOptionSweep(pagesFile, cores);
  const files: VariantFile[] = [
    { name: bundledName, file: modelPath, bytes: readFileSync(modelPath).length },
    ...(twin ? [twin] : []),
  ];
  const datasets = await evalDatasets();
  if (datasets.length === 0)
    skipped.push('no labelled dataset (real-dev or datasets/forms) here: variants not scored.');
  for (const v of files) report.variants.push(await scoreVariant(v, pagesFile, cores, datasets));
}

/**
 * The largest page the shipped pipeline detects in one model pass (no tiling), so that every process,
 * ours and the Python service, does the same work after starting.
 */
async function coldStartPage(pages: BenchPage[]): Promise<BenchPage> {
  const detector = await Detector.create({ modelPath, threads: 1 });
  const { imgsz } = detector.info;
  await detector.dispose();
  const onePass = pages.filter((p) => !wantsTiles('auto', p.width, p.height, imgsz));
  return [...(onePass.length ? onePass : pages)].sort((a, b) => b.width * b.height - a.width * a.height)[0]!;
}

/** The raw results beside the report (and in .cache/bench), so the report can be re-rendered: --render. */
async function saveRaw(r: BenchReport): Promise<void> {
  const json = JSON.stringify(r, null, 1) + '\n';
  await mkdir(path.join(root, '.cache/bench'), { recursive: true });
  await writeFile(path.join(root, '.cache/bench/last-run.json'), json);
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile.replace(/\.md$/i, '') + '.json', json);
}

async function main(): Promise<void> {
  if (values.render) {
    const r = JSON.parse(await readFile(values.render, 'utf8')) as BenchReport;
    const files = await writeReport(r, outFile);
    log(`re-rendered ${files.map((f) => path.relative(root, f)).join(' and ')} from ${values.render}`);
    return;
  }
  if (report.loadBefore > 0.5)
    log(`warning: load average ${report.loadBefore.toFixed(2)} before the run: numbers will be noisy`);
  const pages = await preparePages({
    fixturesDir: path.join(root, 'tests/fixtures'),
    realDevDir: values['real-dev'],
    generated: Number(values.generated),
    workDir,
    ...(quick ? { limitPerOrigin: 1 } : {}),
  });
  if (!pages.some((p) => p.origin === 'real-dev'))
    skipped.push(`no real-dev pages at ${values['real-dev']}: generated pages only.`);
  report.pages = pages.map(({ name, width, height, origin }) => ({ name, width, height, origin }));
  const pagesFile = path.join(workDir, 'pages.json');
  await writeFile(pagesFile, JSON.stringify(pages));
  // Calibrate int8 on generated pages only: real-dev is what the variants are scored on.
  const calibFile = path.join(workDir, 'calibration.json');
  await writeFile(calibFile, JSON.stringify(pages.filter((p) => p.origin !== 'real-dev')));
  log(`${pages.length} pages in ${workDir}`);
  // pool-worker: the DetectorPool's worker, which the bundled CLI and ours-warm load from beside them.
  const entries = [...['ours-warm.ts', 'profile.ts'].map(here), CLI_ENTRY, POOL_WORKER];
  for (const [entry, out] of await bundleChildren(entries, path.join(root, '.cache/bench/js')))
    bundled.set(entry, out);

  const found = values['no-python'] ? { missing: '--no-python given' } : await findPython(root);
  const py = 'missing' in found ? undefined : found;
  if ('missing' in found) skipped.push(`Python references skipped: ${found.missing}.`);

  const withVariants = !quick && !values['no-variants'];
  // The twin is made before any timing, so that it can also run through the whole pipeline.
  const twin = withVariants && py ? await makeTwin(py, calibFile) : undefined;
  if (withVariants && !py)
    skipped.push(
      'the other-precision twin needs the Python venv (Ultralytics, onnxruntime.quantization): not made.',
    );
  await interleavedRounds(
    [...ourWarmSpecs(pagesFile, twin), ...(py ? pythonWarmSpecs(py, pagesFile) : [])],
    ourBatchSpecs(pagesFile),
  );

  const coldPage = await coldStartPage(pages);
  report.coldPage = { name: coldPage.name, width: coldPage.width, height: coldPage.height };
  await coldOurs(coldPage);
  if (py) await coldPython(py, coldPage);

  if (withVariants) await variants(pagesFile, twin);

  log('cloud batch: 1, 4 and 16 requests in flight');
  report.cloudFanout = await cloudFanoutRows(quick ? { pages: 48 } : {});
  const fanoutMissed = fanoutShortfall(report.cloudFanout);
  if (fanoutMissed) process.exitCode = 1;

  report.otherLoad = others.stop();
  if (sha12(modelPath) !== report.model.sha) {
    report.notes.push(
      `**${report.model.file} changed during the run: its rows may mix two models. Run again.**`,
    );
  }
  await saveRaw(report);
  const written = await writeReport(report, outFile);
  log(`wrote ${written.map((f) => path.relative(root, f)).join(' and ')}`);
}

try {
  await main();
} finally {
  await rm(workDir, { recursive: true, force: true });
}
