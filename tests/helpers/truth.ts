// The fixture truth written by scripts/fixtures/make-fixtures.ts.
import { readFileSync } from 'node:fs';
import type { TruthPage } from '../../scripts/fixtures/form-page.js';
import { fixture } from './paths.js';

export type { TruthPage };

export const truth = JSON.parse(readFileSync(fixture('truth.json'), 'utf8')) as {
  pdfDpi: number;
  files: Record<string, TruthPage[]>;
};
