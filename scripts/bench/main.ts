// npm run bench [-- options]: our pipeline against the Python reference, in one run on one machine. Each
// measurement (measurements/) returns a result; the report (docs/benchmarks.md, .png, .json) is built from them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleChildren, findPython } from './children.js';
import { ContentionMonitor } from './contention.js';
import { describeMachine, loadAverage } from './machine.js';
import type { BenchContext } from './measurement.js';
import { MEASUREMENTS, type MeasurementName, type Results } from './measurements/index.js';
import { preparePages } from './pages.js';
import { failedGates, writeReport, type BenchReport, type RunInfo } from './report.js';

const NAMES = Object.keys(MEASUREMENTS) as MeasurementName[];
const USAGE = `Usage: npm run bench -- [options]

  --only <a,b>      run only these measurements (default: all):
${NAMES.map((n) => `                      ${n.padEnd(13)} ${MEASUREMENTS[n].about}`).join('\n')}
  --rounds <n>      warm rounds: each gives every engine one timed pass over the pages, in turn (default 5)
  --cold-reps <n>   cold starts per process, median reported (default 3)
  --generated <n>   full-size pages rendered by the fixture generator (default 4)
  --real-dev <dir>  YOLO folder of real pages (default ../shared/data/real-dev; skipped when absent)
  --quick           smoke run: 1 page per origin, 1 round, 1 cold start
  --no-python       skip the Python references
  --note <text>     a line for the report, e.g. what else was running
  --render <json>   only rewrite the report from a run's raw results (benchmarks.json), measuring nothing
  --out <file.md>   report path (default docs/benchmarks.md, or .cache/bench/quick.md with --quick;
                    the chart and the raw results go beside it as .png and .json)
`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = (msg: string): void => console.error(`[bench] ${msg}`);
const sha12 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'cold-reps': { type: 'string', default: '3' },
    generated: { type: 'string', default: '4' },
    'real-dev': { type: 'string', default: path.resolve(root, '../shared/data/real-dev') },
    quick: { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
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

function selected(): MeasurementName[] {
  if (!values.only) return NAMES;
  const names = values.only.split(',');
  const unknown = names.filter((n) => !NAMES.includes(n as MeasurementName));
  if (unknown.length)
    throw new Error(`unknown measurement ${unknown.join(', ')}: one of ${NAMES.join(', ')}`);
  return names as MeasurementName[];
}

/** The Node entries the measurements run, bundled to plain ESM so the measured processes carry no tsx loader. */
const NODE_ENTRIES = [
  'scripts/bench/ours-warm.ts',
  'scripts/bench/profile.ts',
  'scripts/bench/text-cost.ts',
  'src-cli/main.ts',
  // The DetectorPool's worker, which the bundled CLI and ours-warm load from beside them.
  'src-core/pool-worker.ts',
];

async function measure(workDir: string): Promise<BenchReport> {
  const names = selected();
  const modelPath = process.env.CHECKBOX_MODEL
    ? path.resolve(process.env.CHECKBOX_MODEL)
    : path.join(root, 'models/checkbox-detector.onnx');
  const skipped: string[] = [];
  const loadBefore = loadAverage();
  if (loadBefore > 0.5)
    log(`warning: load average ${loadBefore.toFixed(2)} before the run: numbers will be noisy`);
  const pages = await preparePages({
    fixturesDir: path.join(root, 'tests/fixtures'),
    realDevDir: values['real-dev'],
    generated: Number(values.generated),
    workDir,
    ...(quick ? { limitPerOrigin: 1 } : {}),
  });
  if (!pages.some((p) => p.origin === 'real-dev'))
    skipped.push(`no real-dev pages at ${values['real-dev']}: generated pages only.`);
  const pagesFile = path.join(workDir, 'pages.json');
  await writeFile(pagesFile, JSON.stringify(pages));
  log(`${pages.length} pages in ${workDir}`);
  const bundled = await bundleChildren(
    NODE_ENTRIES.map((e) => path.join(root, e)),
    path.join(root, '.cache/bench/js'),
  );
  const found = values['no-python'] ? { missing: '--no-python given' } : await findPython(root);
  if ('missing' in found) skipped.push(`Python references skipped: ${found.missing}.`);

  const others = new ContentionMonitor();
  const run: RunInfo = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: describeMachine(root),
    loadBefore,
    ...(values.note ? { note: values.note } : {}),
    model: { file: path.relative(root, modelPath), sha: sha12(modelPath) },
    pages: pages.map(({ name, width, height, origin }) => ({ name, width, height, origin })),
    skipped,
  };
  const ctx: BenchContext = {
    root,
    modelPath,
    ptPath: modelPath.replace(/\.onnx$/i, '.pt'),
    pages,
    pagesFile,
    workDir,
    quick,
    rounds: quick ? 1 : Number(values.rounds),
    coldReps: quick ? 1 : Number(values['cold-reps']),
    machine: run.machine,
    ...('missing' in found ? {} : { python: found }),
    child: (file) => bundled.get(path.join(root, file))!,
    otherCores: () => others.window(),
    log,
  };
  const results: Results = {};
  for (const name of names) {
    try {
      Object.assign(results, { [name]: await MEASUREMENTS[name].run(ctx) });
    } catch (err) {
      // One measurement that breaks must not cost the others' results.
      log(`${name} failed: ${(err as Error).stack}`);
      skipped.push(`${name} failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  run.otherLoad = others.stop();
  if (sha12(modelPath) !== run.model.sha)
    skipped.push(`**${run.model.file} changed during the run: its rows may mix two models. Run again.**`);
  return { run, results };
}

async function main(): Promise<void> {
  let report: BenchReport;
  if (values.render) {
    report = JSON.parse(await readFile(values.render, 'utf8')) as BenchReport;
  } else {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'checkbox-bench-'));
    try {
      report = await measure(workDir);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    // The raw results also stay in .cache/bench, whatever --out says.
    await writeFile(path.join(root, '.cache/bench/last-run.json'), JSON.stringify(report, null, 1) + '\n');
  }
  const written = await writeReport(report, outFile);
  log(`wrote ${written.map((f) => path.relative(root, f)).join(', ')}`);
  const failed = failedGates(report);
  if (failed.length) {
    log(`gates failed: ${failed.map((c) => c.name).join('; ')}`);
    process.exitCode = 1;
  }
}

await main();
