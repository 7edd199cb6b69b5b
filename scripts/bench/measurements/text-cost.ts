// Issue 20's bench row: a real-looking scanned page (generated, rasterised at 200 dpi and degraded like a scan:
// scripts/fixtures/text-dataset.ts) costs at most +50% of its detection time with --text auto.
import path from 'node:path';
import { writeTextDataset } from '../../fixtures/text-dataset.js';
import { runNodeChild } from '../children.js';
import { f0, pct, table } from '../markdown.js';
import type { BenchContext, Criterion, Measurement } from '../measurement.js';
import { median } from '../stats.js';
import type { TextCostSample } from '../text-cost.js';

export interface TextCostResult {
  pages: number;
  samples: TextCostSample[];
}

async function run(ctx: BenchContext): Promise<TextCostResult> {
  const pages = ctx.quick ? 1 : 3;
  const dir = path.join(ctx.workDir, 'text');
  ctx.log(`text: ${pages} scanned pages (npm run fixtures:text), text off against text auto`);
  const set = await writeTextDataset(dir, pages);
  const files = Object.keys(set.files)
    .filter((f) => f.startsWith('scan-'))
    .map((f) => path.join(dir, f));
  const { samples } = await runNodeChild<{ samples: TextCostSample[] }>(
    ctx.child('scripts/bench/text-cost.ts'),
    ['--files', files.join(','), '--reps', String(ctx.quick ? 1 : 3)],
    { cwd: ctx.root },
  );
  return { pages, samples };
}

const medians = (r: TextCostResult) => ({
  off: median(r.samples.map((s) => s.off)),
  auto: median(r.samples.map((s) => s.auto)),
});

function criteria(r: TextCostResult): Criterion[] {
  const { off, auto } = medians(r);
  return [
    {
      name: 'Scanned page with --text auto vs text off (issue 20: at most +50%)',
      ours: { label: 'text auto (OCR)', value: auto },
      reference: { label: 'text off', value: off },
      unit: 'ms',
      maxRatio: 1.5,
      byRound: r.samples.map((s) => s.auto / s.off),
      gate: false,
    },
  ];
}

function section(r: TextCostResult): string[] {
  const { off, auto } = medians(r);
  return [
    '## Labels and questions: what --text auto costs a scanned page',
    '',
    `${r.pages} generated pages (npm run fixtures:text: letter at 200 dpi, greyscale, blurred, noised, JPEG 60), each read, decoded and ` +
      'detected as shipped by one Detector with text off and with text auto (OCR: a scan has no text layer), in pairs whose order ' +
      'alternates, after an untimed pass that starts the OCR engine. Medians over every pair.',
    '',
    table(
      ['text off ms', 'text auto ms', 'added', 'pairs'],
      [[f0(off), f0(auto), pct(auto / off - 1), String(r.samples.length)]],
    ),
    '',
  ];
}

export const textCost: Measurement<TextCostResult> = {
  about: 'detection time of a scanned page with --text auto against text off (issue 20)',
  run,
  criteria,
  section,
};
