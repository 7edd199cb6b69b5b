// Every measurement `npm run bench` can run, in report order; --only picks some by these names.
import type { Measurement } from '../measurement.js';
import { cloudFanout } from './cloud-fanout.js';
import { cold } from './cold.js';
import { stages } from './stages.js';
import { textCost } from './text-cost.js';
import { warm } from './warm.js';

export const MEASUREMENTS = {
  warm,
  cold,
  stages,
  text: textCost,
  'cloud-fanout': cloudFanout,
};

export type MeasurementName = keyof typeof MEASUREMENTS;

/** Each measurement's result, under its name; absent where it did not run. */
export type Results = {
  [K in MeasurementName]?: (typeof MEASUREMENTS)[K] extends Measurement<infer R> ? R : never;
};
