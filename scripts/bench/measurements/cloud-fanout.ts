// The cloud client with several requests in flight (scripts/bench/cloud-fanout.ts), reported only.
import { cloudFanoutRows, fanoutSection, REQUIRED_SPEEDUP, type FanoutRow } from '../cloud-fanout.js';
import type { BenchContext, Criterion, Measurement } from '../measurement.js';

export interface FanoutResult {
  rows: FanoutRow[];
}

function criteria(r: FanoutResult): Criterion[] {
  const at = (n: number) => r.rows.find((row) => row.endpoint === 'stand-in model' && row.inFlight === n);
  const one = at(1);
  const many = at(REQUIRED_SPEEDUP.inFlight);
  return [
    {
      name: `Cloud batch: ${REQUIRED_SPEEDUP.inFlight} requests in flight vs 1 (lambda:serve, stand-in model)`,
      ours: many && { label: `${many.inFlight} in flight`, value: many.pagesPerSecond },
      reference: one && { label: '1 in flight', value: one.pagesPerSecond },
      unit: 'pages/s',
      minRatio: REQUIRED_SPEEDUP.atLeast,
      gate: false,
    },
  ];
}

export const cloudFanout: Measurement<FanoutResult> = {
  about: 'the cloud client at 1, 4 and 16 requests in flight through a delaying proxy',
  run: async (ctx: BenchContext) => {
    ctx.log('cloud batch: 1, 4 and 16 requests in flight');
    return { rows: await cloudFanoutRows(ctx.quick ? { pages: 48 } : {}) };
  },
  criteria,
  section: (r) => fanoutSection(r.rows),
};
