// The benchmark report, built from the measurements' results alone: docs/benchmarks.md (how it was run, the
// acceptance rows, each measurement's section), the chart beside it, and the raw results as JSON.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderChart } from './chart.js';
import type { Contention } from './contention.js';
import type { Machine } from './machine.js';
import { f1, f3, table } from './markdown.js';
import type { Criterion, Measurement } from './measurement.js';
import { MEASUREMENTS, type MeasurementName, type Results } from './measurements/index.js';
import type { PageOrigin } from './pages.js';

export interface RunInfo {
  date: string;
  command: string;
  machine: Machine;
  /** 1-minute load average when the run started. */
  loadBefore: number;
  /** CPU that processes outside the benchmark took during the run. */
  otherLoad?: Contention;
  /** The operator's note on the run (--note). */
  note?: string;
  model: { file: string; sha: string };
  pages: { name: string; width: number; height: number; origin: PageOrigin }[];
  /** What the run left out as a whole (no Python venv, no real-dev pages). */
  skipped: string[];
}

export interface BenchReport {
  run: RunInfo;
  results: Results;
}

/** Each measurement that ran, with its result. */
function ran(r: BenchReport): { m: Measurement<unknown>; result: unknown }[] {
  return (Object.keys(MEASUREMENTS) as MeasurementName[])
    .filter((name) => r.results[name] !== undefined)
    .map((name) => ({ m: MEASUREMENTS[name] as Measurement<unknown>, result: r.results[name] }));
}

export const criteria = (r: BenchReport): Criterion[] =>
  ran(r).flatMap(({ m, result }) => m.criteria?.(result) ?? []);

/** Whether a criterion holds; undefined where one side was not measured. */
export function met(c: Criterion): boolean | undefined {
  if (!c.ours || !c.reference) return undefined;
  const ratio = c.ours.value / c.reference.value;
  return c.maxRatio !== undefined ? ratio <= c.maxRatio : ratio >= c.minRatio!;
}

/** The gates that failed (the run exits 1 when there is any). */
export const failedGates = (r: BenchReport): Criterion[] =>
  criteria(r).filter((c) => c.gate && met(c) === false);

function acceptanceTable(r: BenchReport): string {
  const rows = criteria(r).map((c) => {
    const upper = c.maxRatio !== undefined;
    const fmtRatio = upper ? f3 : (v: number) => `${v.toFixed(2)}x`;
    const target = upper
      ? `<= ${c.maxRatio! < 1 ? `1/${Math.round(1 / c.maxRatio!)}` : `${c.maxRatio}x`}`
      : `>= ${c.minRatio}x`;
    const fmt = (v?: { label: string; value: number }) =>
      v ? `${f1(v.value)} ${c.unit} (${v.label})` : 'not measured';
    const ok = met(c);
    const ratio = c.ours && c.reference ? c.ours.value / c.reference.value : Number.NaN;
    const shown = !Number.isFinite(ratio)
      ? 'n/a'
      : upper && ratio < 1
        ? `${f3(ratio)} (1/${f1(1 / ratio)})`
        : fmtRatio(ratio);
    const byRound = c.byRound?.length
      ? `${fmtRatio(Math.min(...c.byRound))}–${fmtRatio(Math.max(...c.byRound))}`
      : '';
    const verdict =
      ok === undefined
        ? 'not measured'
        : c.gate
          ? ok
            ? '**pass**'
            : '**FAIL**'
          : ok
            ? 'met (reported)'
            : 'not met (reported)';
    return [c.name, fmt(c.ours), fmt(c.reference), shown, byRound, target, verdict];
  });
  return table(['criterion', 'ours', 'reference', 'ratio', 'ratio by round', 'target', 'result'], rows);
}

function pagesSummary(r: RunInfo): string {
  const what: Record<PageOrigin, string> = {
    fixture: 'project fixtures (tests/fixtures; TIFF/PDF pages written out as PNG)',
    generated: 'full-size pages rendered by the fixture generator (JPEG, letter at 200 dpi)',
    'real-dev': 'real-dev images (read in place, not in the repository)',
  };
  const parts = (Object.keys(what) as PageOrigin[]).flatMap((o) => {
    const ps = r.pages.filter((p) => p.origin === o);
    const sizes = [...new Set(ps.map((p) => `${p.width}x${p.height}`))].join(', ');
    return ps.length ? [`${ps.length} ${what[o]}: ${sizes}`] : [];
  });
  return `${r.pages.length} pages, the same files for every engine — ${parts.join('; ')}.`;
}

function header(r: BenchReport): string[] {
  const { run } = r;
  const m = run.machine;
  const py = r.results.warm?.python;
  const o = run.otherLoad;
  // The load average also counts what ran just before the run; the sampled other load is what ran during it.
  const busy = o ? o.meanCores > 0.1 || o.maxCores > 0.5 : run.loadBefore > 1;
  const otherLine = o
    ? `other processes used ${o.meanCores.toFixed(2)} cores on average during the ${Math.round(o.seconds)} s run, ` +
      `at most ${o.maxCores.toFixed(2)} over a few seconds (busiest: ${o.busiest.map((b) => `${b.command} ${b.cores.toFixed(2)}`).join(', ')})`
    : 'other processes not sampled';
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench/); every number below comes from that one run on one machine. Do not edit by hand.',
    '',
    `- **Command:** \`${run.command}\``,
    `- **Date:** ${run.date}`,
    `- **Machine:** ${m.cpu} (${m.vector}), ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}`,
    `- **Runtimes:** Node ${m.node}, onnxruntime-node ${m.onnxruntime}, sharp ${m.sharp}` +
      (py
        ? `; Python references: Ultralytics ${py.ultralytics}, torch ${py.torch} (${py.torchThreads} threads: OMP_NUM_THREADS set to the core count)`
        : ''),
    `- **Model:** ${run.model.file} (sha256 ${run.model.sha}); commit ${m.commit}`,
    `- **Contention:** load average ${run.loadBefore.toFixed(2)} at the start; ${otherLine}` +
      (busy ? ' — **the machine was shared: absolute numbers are pessimistic**' : ''),
    ...(run.note ? [`- **Note:** ${run.note}`] : []),
    `- **Pages:** ${pagesSummary(run)}`,
    '',
  ];
}

export function renderMarkdown(r: BenchReport, chartFile: string): string {
  const measured = ran(r);
  const notes = measured.flatMap(({ m, result }) => m.notes?.(result) ?? []);
  return [
    ...header(r),
    `![Benchmark chart](${path.basename(chartFile)})`,
    '',
    '## Acceptance (ratios from this run)',
    '',
    acceptanceTable(r),
    '',
    'Gates give **pass** or **FAIL** (a failed gate makes `npm run bench` exit 1); the other rows are reported. ' +
      '"Ratio by round" is the same ratio from each round (or pair) alone, smallest–largest: how far the machine drifted within the run.',
    '',
    ...measured.flatMap(({ m, result }) => m.section(result)),
    ...(notes.length ? ['## Notes on this run', '', ...notes.map((s) => `- ${s}`), ''] : []),
    ...(r.run.skipped.length
      ? ['## Left out of this run', '', ...r.run.skipped.map((s) => `- ${s}`), '']
      : []),
  ].join('\n');
}

/** Everything after this line in the report is written by hand and carried over when the report is rewritten. */
export const NOTES_MARKER = '<!-- Hand-written notes below: npm run bench keeps them. -->';

async function handWrittenNotes(mdFile: string): Promise<string> {
  const old = await readFile(mdFile, 'utf8').catch(() => '');
  const at = old.indexOf(NOTES_MARKER);
  return at < 0 ? `${NOTES_MARKER}\n` : old.slice(at);
}

/** Writes the markdown (keeping its hand-written notes), the chart and the raw results, each renamed into place. */
export async function writeReport(r: BenchReport, mdFile: string): Promise<string[]> {
  const base = mdFile.replace(/\.md$/i, '');
  await mkdir(path.dirname(mdFile), { recursive: true });
  const panels = ran(r).flatMap(({ m, result }) => m.chart?.(result) ?? []);
  const m = r.run.machine;
  const png = await renderChart(
    panels,
    `Checkbox Detector benchmarks — ${m.cpu}, ${m.cores} cores — ${r.run.date.slice(0, 10)}`,
  );
  const md = `${renderMarkdown(r, `${base}.png`)}\n${await handWrittenNotes(mdFile)}`;
  const files: [string, string | Buffer][] = [
    [`${base}.png`, png],
    [mdFile, md],
    [`${base}.json`, JSON.stringify(r, null, 1) + '\n'],
  ];
  for (const [file, data] of files) {
    await writeFile(`${file}.tmp`, data);
    await rename(`${file}.tmp`, file);
  }
  return files.map(([file]) => file);
}
