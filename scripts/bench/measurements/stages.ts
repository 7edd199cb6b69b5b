// Where a page's time goes: each stage of our pipeline, one model pass per page, on one thread and on all cores.
import os from 'node:os';
import { runNodeChild } from '../children.js';
import { f0, f1, table } from '../markdown.js';
import type { BenchContext, Measurement } from '../measurement.js';
import type { StageProfile } from '../profile.js';

export interface StagesResult {
  profiles: StageProfile[];
}

async function run(ctx: BenchContext): Promise<StagesResult> {
  const profiles: StageProfile[] = [];
  for (const threads of [...new Set([1, os.cpus().length])]) {
    const label = `${threads} thread${threads > 1 ? 's' : ''}`;
    ctx.log(`stages: ${label}`);
    profiles.push(
      await runNodeChild<StageProfile>(
        ctx.child('scripts/bench/profile.ts'),
        [
          '--model',
          ctx.modelPath,
          '--pages',
          ctx.pagesFile,
          '--threads',
          String(threads),
          '--label',
          label,
          '--rounds',
          String(Math.max(1, Math.ceil(ctx.rounds / 2))),
        ],
        { cwd: ctx.root },
      ),
    );
  }
  return { profiles };
}

function section(r: StagesResult): string[] {
  return [
    '## Where the time goes',
    '',
    "Median ms per page of each stage of our pipeline, one model pass per page (scripts/bench/profile.ts runs the core's own stage functions).",
    '',
    table(
      [
        'onnxruntime threads',
        'read+decode',
        'letterbox',
        'inference',
        'boxes+NMS',
        'total',
        'session ms',
        'peak RSS MiB',
        'boxes/pass',
      ],
      r.profiles.map((p) => [
        p.label,
        f1(p.stages.decode),
        f1(p.stages.letterbox),
        f1(p.stages.infer),
        f1(p.stages.post),
        f1(p.stages.total),
        f0(p.sessionCreateMs),
        f0(p.peakRssMb),
        String(p.boxesPerPass),
      ]),
    ),
    '',
  ];
}

export const stages: Measurement<StagesResult> = {
  about: 'median ms of each stage of a page (decode, letterbox, inference, NMS), 1 thread and all cores',
  run,
  section,
};
