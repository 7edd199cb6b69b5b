// Cold start: a fresh process from its start to the first result, ours (CLI from source and bundled, the Lambda
// handler bundle) against a FastAPI + Ultralytics service, with each process's peak RSS.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Detector } from '../../../src-core/index.js';
import { wantsTiles } from '../../../src-core/tiling.js';
import type { ChartPanel } from '../chart.js';
import { runChild, type PythonEnv } from '../children.js';
import { coldProcess, coldServer, freePort, type ColdSample, type ProcessSpec } from '../cold.js';
import { f0, f2, OTHERS, table } from '../markdown.js';
import type { BenchContext, Criterion, Measurement } from '../measurement.js';
import type { BenchPage } from '../pages.js';
import { median } from '../stats.js';

export type ColdKey = 'cli' | 'cli-bundled' | 'lambda' | 'fastapi-predecessor' | 'fastapi-same';

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

export interface ColdResult {
  page: { name: string; width: number; height: number };
  rows: ColdRow[];
  notes: string[];
}

const sha12 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);

/**
 * The largest page the shipped pipeline detects in one model pass (no tiling), so that every process,
 * ours and the Python service, does the same work after starting.
 */
async function coldStartPage(ctx: BenchContext): Promise<BenchPage> {
  const detector = await Detector.create({ modelPath: ctx.modelPath, threads: 1 });
  const { imgsz } = detector.info;
  await detector.dispose();
  const onePass = ctx.pages.filter((p) => !wantsTiles('auto', p.width, p.height, imgsz));
  return [...(onePass.length ? onePass : ctx.pages)].sort(
    (a, b) => b.width * b.height - a.width * a.height,
  )[0]!;
}

/** dist/lambda as npm run lambda:build makes it, rebuilt when missing or holding another model. */
async function lambdaBundle(ctx: BenchContext): Promise<{ bundle: string; note: string }> {
  const bundle = path.join(ctx.root, 'dist/lambda/index.mjs');
  const bundledModel = path.join(ctx.root, 'dist/lambda/models/checkbox-detector.onnx');
  if (!existsSync(bundle) || !existsSync(bundledModel) || sha12(bundledModel) !== sha12(ctx.modelPath)) {
    ctx.log('building the Lambda bundle (npm run lambda:build): missing or holding another model');
    await runChild('npm', ['run', 'lambda:build'], { cwd: ctx.root });
  }
  const built = statSync(bundle).mtime.toISOString();
  return { bundle, note: `The Lambda rows ran dist/lambda as built at ${built} (npm run lambda:build).` };
}

/** One untimed start (the files into the page cache), then `coldReps` timed ones. */
async function coldRow(
  ctx: BenchContext,
  key: ColdKey,
  label: string,
  command: string,
  once: () => Promise<ColdSample>,
): Promise<ColdRow> {
  ctx.log(`cold start: ${label}`);
  await once();
  const samples: ColdSample[] = [];
  ctx.otherCores();
  for (let i = 0; i < ctx.coldReps; i++) samples.push(await once());
  return {
    key,
    label,
    command,
    firstResultMs: median(samples.map((s) => s.firstResultMs)),
    samplesMs: samples.map((s) => s.firstResultMs),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    otherCores: ctx.otherCores(),
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
}

async function oursRows(ctx: BenchContext, page: BenchPage): Promise<{ rows: ColdRow[]; note: string }> {
  const node = (args: string[]): ProcessSpec => ({ command: process.execPath, args, cwd: ctx.root });
  const jsonLine = (line: string) => line.startsWith('{');
  const rows = [
    // bin/checkbox-detector.js runs the sources through tsx whenever they are there, as in this checkout.
    await coldRow(
      ctx,
      'cli',
      'Ours: CLI from the repository (TypeScript through tsx)',
      'node bin/checkbox-detector.js detect --format jsonl <page>',
      () =>
        coldProcess(node(['bin/checkbox-detector.js', 'detect', '--format', 'jsonl', page.file]), jsonLine),
    ),
    // As a packaged CLI runs: one esbuild bundle in plain Node, without tsx compiling the sources at start.
    await coldRow(
      ctx,
      'cli-bundled',
      'Ours: CLI bundled (esbuild, as a packaged build runs it)',
      'node .cache/bench/js/main.mjs detect --format jsonl <page>',
      () =>
        coldProcess(node([ctx.child('src-cli/main.ts'), 'detect', '--format', 'jsonl', page.file]), jsonLine),
    ),
  ];
  const { bundle, note } = await lambdaBundle(ctx);
  const invoke = path.join(ctx.root, 'scripts/bench/lambda-invoke.mjs');
  rows.push(
    await coldRow(
      ctx,
      'lambda',
      'Ours: Lambda handler bundle',
      'node scripts/bench/lambda-invoke.mjs dist/lambda/index.mjs <page>',
      () =>
        coldProcess(
          node([invoke, bundle, page.file]),
          (line) => line.startsWith('COLD_RESULT') && line.includes('"statusCode":200'),
        ),
    ),
  );
  return { rows, note };
}

async function pythonRows(ctx: BenchContext, py: PythonEnv, page: BenchPage): Promise<ColdRow[]> {
  const bytes = await readFile(page.file);
  const servers: [ColdKey, string, string][] = [
    ['fastapi-predecessor', 'Predecessor: FastAPI + Ultralytics YOLO11m (PyTorch)', 'yolo11m.yaml'],
    existsSync(ctx.ptPath)
      ? ['fastapi-same', 'FastAPI + Ultralytics, same model (PyTorch)', ctx.ptPath]
      : ['fastapi-same', 'FastAPI + Ultralytics, untrained YOLO11n (PyTorch)', 'yolo11n.yaml'],
  ];
  const rows: ColdRow[] = [];
  for (const [key, label, model] of servers) {
    const once = async (): Promise<ColdSample> => {
      const port = await freePort();
      const server = path.join(ctx.root, 'scripts/bench/python/predict_server.py');
      const spec: ProcessSpec = {
        command: py.python,
        args: [server, '--model', model, '--port', String(port)],
        cwd: ctx.root,
        env: py.env,
      };
      return coldServer(spec, () => {
        const form = new FormData();
        form.append('file', new Blob([bytes]), path.basename(page.file));
        return fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', body: form });
      });
    };
    const command = `python scripts/bench/python/predict_server.py --model ${path.basename(model)}, POST /predict`;
    rows.push(await coldRow(ctx, key, label, command, once));
  }
  return rows;
}

async function run(ctx: BenchContext): Promise<ColdResult> {
  const page = await coldStartPage(ctx);
  const ours = await oursRows(ctx, page);
  const python = ctx.python ? await pythonRows(ctx, ctx.python, page) : [];
  return {
    page: { name: page.name, width: page.width, height: page.height },
    rows: [...ours.rows, ...python],
    notes: [ours.note],
  };
}

function criteria(r: ColdResult): Criterion[] {
  const value = (k: ColdKey, of: (c: ColdRow) => number) => {
    const c = r.rows.find((row) => row.key === k);
    return c && { label: c.label, value: of(c) };
  };
  const start = (k: ColdKey) => value(k, (c) => c.firstResultMs);
  const rss = (k: ColdKey) => value(k, (c) => c.peakRssMb);
  const row = (
    name: string,
    ours: Criterion['ours'],
    reference: Criterion['reference'],
    unit: string,
    maxRatio: number,
    gate = true,
  ) => ({ name, ours, reference, unit, maxRatio, gate }) satisfies Criterion;
  return [
    row(
      'Cold start: Lambda handler vs Python service',
      start('lambda'),
      start('fastapi-predecessor'),
      'ms',
      1 / 10,
    ),
    row(
      'Cold start: CLI (bundled) vs Python service',
      start('cli-bundled'),
      start('fastapi-predecessor'),
      'ms',
      1 / 10,
    ),
    // Reported only: a checkout runs the sources through tsx, which compiles them at start; a build does not.
    row(
      'Cold start: CLI (from source, tsx) vs Python service',
      start('cli'),
      start('fastapi-predecessor'),
      'ms',
      1 / 10,
      false,
    ),
    row(
      'Cold start: Lambda handler vs Python service, same model',
      start('lambda'),
      start('fastapi-same'),
      'ms',
      1 / 10,
    ),
    row(
      'Peak RSS: Lambda handler vs Python service',
      rss('lambda'),
      rss('fastapi-predecessor'),
      'MiB',
      1 / 3,
    ),
    row(
      'Peak RSS: Lambda handler vs Python service, same model',
      rss('lambda'),
      rss('fastapi-same'),
      'MiB',
      1 / 3,
    ),
  ];
}

function section(r: ColdResult): string[] {
  return [
    `## Cold start: process start to first result (${r.page.name}, ${r.page.width}x${r.page.height})`,
    '',
    'A fresh process each time; one untimed start first so every process finds its files in the page cache. ' +
      'The page is the largest one our shipped pipeline detects in one model pass (bigger pages are also tiled), so every process does the same work. ' +
      "The Lambda row imports the handler bundle (its top-level await loads the model, as Lambda's init phase does) and invokes it with a Function URL event; " +
      'the Python rows spawn a FastAPI + Ultralytics service and poll `POST /predict` until it answers. ' +
      "Peak RSS: GNU time's maximum for processes that exit, VmHWM for the services.",
    '',
    table(
      ['process', 'command', 'median ms', 'samples ms', 'CPU ms', 'peak RSS MiB', OTHERS],
      r.rows.map((c) => [
        c.label,
        `\`${c.command}\``,
        f0(c.firstResultMs),
        c.samplesMs.map(f0).join(', '),
        f0(c.cpuMs),
        f0(c.peakRssMb),
        f2(c.otherCores),
      ]),
    ),
    '',
  ];
}

const SHORT: Record<ColdKey, string> = {
  cli: 'Ours: CLI (tsx)',
  'cli-bundled': 'Ours: CLI (bundled)',
  lambda: 'Ours: Lambda handler',
  'fastapi-predecessor': 'FastAPI + YOLO11m (predecessor)',
  'fastapi-same': 'FastAPI + same model',
};

function chart(r: ColdResult): ChartPanel[] {
  const ours = (k: ColdKey) => !k.startsWith('fastapi');
  return [
    {
      title: 'Cold start to first result (s) — lower is better',
      unit: 's',
      bars: r.rows.map((c) => ({ label: SHORT[c.key], value: c.firstResultMs / 1000, ours: ours(c.key) })),
    },
    {
      title: 'Peak RSS, cold start (MiB) — lower is better',
      unit: 'MiB',
      bars: r.rows.map((c) => ({ label: SHORT[c.key], value: c.peakRssMb, ours: ours(c.key) })),
    },
  ];
}

export const cold: Measurement<ColdResult> = {
  about: 'cold start to the first result and peak RSS: CLI, Lambda handler, FastAPI + Ultralytics',
  run,
  criteria,
  section,
  chart,
  notes: (r) => r.notes,
};
