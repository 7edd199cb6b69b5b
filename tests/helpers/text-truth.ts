// The labelled text set written by scripts/fixtures/text-dataset.ts (tests/fixtures/text).
import { readFileSync } from 'node:fs';
import type { TextDataset } from '../../scripts/fixtures/text-dataset.js';
import { fixture } from './paths.js';

export const textTruth = JSON.parse(readFileSync(fixture('text/truth.json'), 'utf8')) as TextDataset;
