// Result formats of `detect`: a JSON array, JSON lines (one page per line), CSV (one detection per row), or
// answers (CSV: one box per row with its question and option). The CSV layouts are the app's exports'.
import type { DetectionResult } from '../src-core/index.js';
import { ANSWERS_CSV_HEADER, DETECTIONS_CSV_HEADER, answerRows, detectionRows } from '../src-shared/csv.js';

export type OutputFormat = 'json' | 'jsonl' | 'csv' | 'answers';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'jsonl', 'csv', 'answers'];

/** Writes results as they arrive; `json` buffers until close() so the array is valid. */
export class ResultWriter {
  private readonly buffered: DetectionResult[] = [];
  private started = false;

  constructor(
    private readonly format: OutputFormat,
    private readonly write: (text: string) => void,
  ) {}

  add(result: DetectionResult): void {
    if (this.format === 'jsonl') this.write(JSON.stringify(result) + '\n');
    else if (this.format === 'csv' || this.format === 'answers') {
      const answers = this.format === 'answers';
      if (!this.started) this.write((answers ? ANSWERS_CSV_HEADER : DETECTIONS_CSV_HEADER) + '\n');
      for (const row of answers ? answerRows(result) : detectionRows(result)) this.write(row + '\n');
    } else this.buffered.push(result);
    this.started = true;
  }

  close(): void {
    if (this.format === 'json') this.write(JSON.stringify(this.buffered, null, 2) + '\n');
    else if (this.format === 'csv' && !this.started) this.write(DETECTIONS_CSV_HEADER + '\n');
    else if (this.format === 'answers' && !this.started) this.write(ANSWERS_CSV_HEADER + '\n');
  }
}
