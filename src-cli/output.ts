// Result formats of `detect`: a JSON array, JSON lines (one page per line), CSV (one detection per row), or
// answers (CSV: one box per row with its question and option, src-shared/answers.ts).
import { csvRow, type DetectionResult } from '../src-core/index.js';
import { ANSWERS_HEADER, answerRows } from '../src-shared/answers.js';

export type OutputFormat = 'json' | 'jsonl' | 'csv' | 'answers';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'jsonl', 'csv', 'answers'];

export const CSV_HEADER = 'source,page,width,height,class,confidence,x1,y1,x2,y2';

export function csvRows(result: DetectionResult): string[] {
  const { source = '', page, width, height } = result.image;
  return result.detections.map((d) => csvRow([source, page, width, height, d.class, d.confidence, ...d.box]));
}

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
      if (!this.started) this.write((answers ? ANSWERS_HEADER : CSV_HEADER) + '\n');
      for (const row of answers ? answerRows(result) : csvRows(result)) this.write(row + '\n');
    } else this.buffered.push(result);
    this.started = true;
  }

  close(): void {
    if (this.format === 'json') this.write(JSON.stringify(this.buffered, null, 2) + '\n');
    else if (this.format === 'csv' && !this.started) this.write(CSV_HEADER + '\n');
    else if (this.format === 'answers' && !this.started) this.write(ANSWERS_HEADER + '\n');
  }
}
