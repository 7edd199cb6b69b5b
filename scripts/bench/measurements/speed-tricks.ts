// What each speed trick that ships earns, against the plain path beside it, as a share of a page's end-to-end
// time as shipped: a trick stays only if it earns at least 10% (issue 16). Today one trick: the WebAssembly
// letterbox (src-core/wasm/letterbox.wat) against the plain JavaScript one (JsLetterboxer), A/B in one process.
import { runNodeChild } from '../children.js';
import type { LetterboxSample } from '../letterbox-ab.js';
import { f1, pct, table } from '../markdown.js';
import type { BenchContext, Measurement } from '../measurement.js';
import { median } from '../stats.js';

/** The least a trick must save of a page's time to stay. */
export const KEEP_AT_LEAST = 0.1;

export interface SpeedTricksResult {
  letterbox: { reps: number; samples: LetterboxSample[] };
}

async function run(ctx: BenchContext): Promise<SpeedTricksResult> {
  const reps = ctx.quick ? 1 : Math.max(3, ctx.rounds);
  ctx.log(`speed tricks: WebAssembly against JavaScript letterbox, ${reps} pairs per page`);
  const { samples } = await runNodeChild<{ samples: LetterboxSample[] }>(
    ctx.child('scripts/bench/letterbox-ab.ts'),
    ['--pages', ctx.pagesFile, '--model', ctx.modelPath, '--reps', String(reps)],
    { cwd: ctx.root },
  );
  return { letterbox: { reps, samples } };
}

type Metric = 'ms' | 'cpuMs';

/** Per page the median of each side, summed over the pages: what the page set costs each way. */
function pageSetCost(samples: LetterboxSample[], metric: Metric): { trick: number; plain: number } {
  const pages = [...new Set(samples.map((s) => s.page))];
  const of = (page: string, side: 'wasm' | 'js') =>
    median(samples.filter((s) => s.page === page).map((s) => s[side][metric]));
  return {
    trick: pages.reduce((a, p) => a + of(p, 'wasm'), 0) / pages.length,
    plain: pages.reduce((a, p) => a + of(p, 'js'), 0) / pages.length,
  };
}

/** The saving of each repetition over the whole page set: how far it moved within the run. */
function savingByRep(samples: LetterboxSample[], reps: number, metric: Metric): number[] {
  const perRep = samples.length / reps;
  return Array.from({ length: reps }, (_, r) => {
    const rep = samples.slice(r * perRep, (r + 1) * perRep);
    const plain = rep.reduce((a, s) => a + s.js[metric], 0);
    return (plain - rep.reduce((a, s) => a + s.wasm[metric], 0)) / plain;
  });
}

function section(r: SpeedTricksResult): string[] {
  const { samples, reps } = r.letterbox;
  const rows = (['ms', 'cpuMs'] as const).map((metric) => {
    const { trick, plain } = pageSetCost(samples, metric);
    const saving = (plain - trick) / plain;
    const byRep = savingByRep(samples, reps, metric);
    return [
      metric === 'ms' ? 'wall ms per page' : 'CPU ms per page (every thread)',
      f1(plain),
      f1(trick),
      pct(saving),
      `${pct(Math.min(...byRep))}–${pct(Math.max(...byRep))}`,
      saving >= KEEP_AT_LEAST ? 'stays' : `below ${KEEP_AT_LEAST * 100}%`,
    ];
  });
  return [
    '## Speed tricks: what each earns',
    '',
    `A trick stays only if it saves at least ${KEEP_AT_LEAST * 100}% of a page's end-to-end time as shipped, against the plain path ` +
      'beside it. The WebAssembly letterbox (src-core/wasm/letterbox.wat, four pixels at a time) against the plain JavaScript ' +
      "one (JsLetterboxer), both behind the Letterboxer interface and both bit for bit OpenCV's: one Detector runs every page " +
      `(read, decode, tiling auto) ${reps} times with each, its letterbox swapped before each run, in pairs whose order alternates. ` +
      'Per page the median of each side, averaged over the pages; the saving is against the plain page. CPU ms count every ' +
      'thread of the process, so they hold when other jobs share the machine; wall ms do not.',
    '',
    table(['measure', 'plain JavaScript', 'WebAssembly', 'saving', 'saving by repetition', 'verdict'], rows),
    '',
  ];
}

export const speedTricks: Measurement<SpeedTricksResult> = {
  about: 'each speed trick against the plain path beside it, as a share of a page as shipped',
  run,
  section,
};
