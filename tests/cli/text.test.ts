// detect --text / --lang / --format answers, through the real command line.
import { describe, expect, it } from 'vitest';
import { ANSWERS_CSV_HEADER } from '../../src-shared/csv.js';
import { normaliseText } from '../../src-cli/text-eval.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { textTruth } from '../helpers/text-truth.js';

describe('checkbox-detector detect --format answers', () => {
  it('writes one row per box with its question and option, read from the PDF text layer', async () => {
    const run = await runCli(['detect', '--format', 'answers', fixture('text/forms.pdf')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toBe(ANSWERS_CSV_HEADER);
    const truth = textTruth.files['forms.pdf']!;
    expect(rows).toHaveLength(truth.reduce((n, p) => n + p.boxes.length, 0));
    // Every truth answer (question, option, state) appears; no cell here holds a comma.
    const got = new Set(
      rows.map((r) => {
        const [, page, question, option, state] = r.split(',');
        return [page, normaliseText(question!), normaliseText(option!), state].join('|');
      }),
    );
    const want = truth.flatMap((p) =>
      p.boxes.map((b) => [p.page, normaliseText(b.question), normaliseText(b.label), b.class].join('|')),
    );
    expect(want.filter((w) => got.has(w)).length / want.length).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects an unknown --text mode and a language without data, before detecting', async () => {
    const bad = await runCli(['detect', '--text', 'maybe', fixture('text/forms.pdf')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--text must be one of off, auto, pdf, ocr/);
    const lang = await runCli(['detect', '--text', 'ocr', '--lang', 'xyz', fixture('text/scan-1.jpg')]);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toMatch(/no OCR data for xyz: install it \(npm install @tesseract.js-data\/xyz\)/);
  });
});
