// The fixture truth written by scripts/fixtures/make-fixtures.ts.
import { readFileSync } from 'node:fs';
import type { TruthBox } from '../../scripts/fixtures/form-page.js';
import { fixture } from './paths.js';

export interface TruthPage {
  page: number;
  width: number;
  height: number;
  boxes: TruthBox[];
}

export const truth = JSON.parse(readFileSync(fixture('truth.json'), 'utf8')) as {
  pdfDpi: number;
  files: Record<string, TruthPage[]>;
};
