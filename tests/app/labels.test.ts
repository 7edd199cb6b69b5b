// The app reads each box's label and question (docs/labels.md) with the real model: from the PDF text layer by
// default, not at all with Settings' text off; a person's edits go through saveEdits like any correction and
// come out in the CSV, JSON and answers exports, the batch's answers in one file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../src-main/services/app-services.js';
import { ANSWERS_CSV_HEADER } from '../../src-shared/csv.js';
import { DEFAULT_CONF, passesConf, type DetectionResult } from '../../src-shared/result.js';
import type { Method, ParsedArgsOf, ResultOf } from '../../src-shared/contract.js';
import type { Handler } from '../../src-main/ipc/dispatcher.js';
import { normaliseText } from '../../src-cli/text-eval.js';
import { profileServices } from '../helpers/app-services.js';
import { fixture } from '../helpers/paths.js';
import { textTruth } from '../helpers/text-truth.js';

const PDF = fixture('text/forms.pdf');
let services: AppServices;
let profileDir: string;

beforeAll(() => {
  profileDir = mkdtempSync(join(tmpdir(), 'cbd-labels-'));
  services = profileServices(profileDir);
});
afterAll(async () => {
  await services?.close();
});

/** A contract call as the dispatcher makes it, after validation. */
async function call<M extends Method>(method: M, args: ParsedArgsOf<M>): Promise<ResultOf<M>> {
  return (services.handlers[method] as Handler<M>)(args);
}

describe('labels in the app', () => {
  it('reads the PDF text layer by default, and an edited label reaches every export', async () => {
    expect(services.settings.get()).toMatchObject({ text: 'pdf', ocrLang: 'eng' });
    const [doc] = services.openPaths([PDF]);
    await services.queue.idle();
    const results = await call('getResults', { docId: doc!.id });
    expect(results).toHaveLength(2);
    expect(results[0]!.text?.source).toBe('pdf');

    // Nearly every truth box the user sees (at the slider's default) has its label and question (the core's own
    // accuracy is measured in tests/cli).
    const truth = textTruth.files['forms.pdf']!;
    let right = 0;
    let total = 0;
    for (const page of truth) {
      const found = results[page.page - 1]!.detections.filter((d) => passesConf(d, DEFAULT_CONF));
      for (const t of page.boxes) {
        total++;
        const cx = (t.box[0] + t.box[2]) / 2;
        const cy = (t.box[1] + t.box[3]) / 2;
        const d = found.find((x) => x.box[0] <= cx && cx <= x.box[2] && x.box[1] <= cy && cy <= x.box[3]);
        if (
          d &&
          normaliseText(d.label) === normaliseText(t.label) &&
          normaliseText(d.question) === normaliseText(t.question)
        )
          right++;
      }
    }
    expect(right / total).toBeGreaterThanOrEqual(0.9);

    // A person renames one option and moves another box into a new group with its own question.
    const page = results[0]!;
    const [first, second] = page.detections.filter((d) => d.confidence >= 0.5 && d.group !== undefined);
    const edited = page.detections.map((d) =>
      d === first
        ? { ...d, label: 'Edited option' }
        : d === second
          ? { ...d, group: 99, question: 'Own question' }
          : d,
    );
    await call('saveEdits', { docId: doc!.id, page: 1, detections: edited });
    const saved = (await call('getResults', { docId: doc!.id }))[0]!;
    expect(saved.groups!.find((g) => g.id === 99)).toEqual({
      id: 99,
      question: 'Own question',
      options: [{ label: second!.label, state: second!.class, box: second!.box }],
    });
    expect(saved.groups!.flatMap((g) => g.options).some((o) => o.label === 'Edited option')).toBe(true);

    const dir = join(profileDir, 'exports', 'doc');
    const out = await call('exportResults', {
      scope: 'document',
      docId: doc!.id,
      formats: ['csv', 'json', 'answers'],
      conf: 0.2,
      dir,
    });
    expect(out.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'forms.answers.csv',
      'forms.csv',
      'forms.json',
    ]);
    const csv = readFileSync(join(dir, 'forms.csv'), 'utf8');
    expect(csv).toMatch(/,Edited option,[^,\n]*,\d+,[^\n]*forms\.pdf\n/); // label, question, group, path
    const answers = readFileSync(join(dir, 'forms.answers.csv'), 'utf8').trim().split('\n');
    expect(answers[0]).toBe(ANSWERS_CSV_HEADER);
    expect(answers.some((r) => r.startsWith('forms.pdf,1,') && r.includes(',Edited option,'))).toBe(true);
    expect(
      answers.some((r) => r.startsWith(`forms.pdf,1,Own question,${second!.label ?? ''},${second!.class},`)),
    ).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'forms.json'), 'utf8')) as { results: DetectionResult[] };
    expect(json.results[0]!.detections.some((d) => d.label === 'Edited option')).toBe(true);

    // The batch: one answers CSV for every document open.
    const batchDir = join(profileDir, 'exports', 'batch');
    await call('exportResults', { scope: 'batch', formats: ['answers'], conf: 0.2, dir: batchDir });
    const batch = readFileSync(join(batchDir, 'batch.answers.csv'), 'utf8').trim().split('\n');
    expect(batch.slice(1)).toEqual(answers.slice(1));
  });

  it('refuses an OCR language without data when saved; with text off the boxes carry no text', async () => {
    await expect(call('updateSettings', { text: 'auto', ocrLang: 'xyz' })).rejects.toThrow(
      /no OCR data for xyz/,
    );
    expect(services.settings.get().text).toBe('pdf');
    await call('updateSettings', { text: 'off' });
    const [doc] = services.docs.list();
    await call('rerun', { docIds: [doc!.id] });
    await services.queue.idle();
    const results = await call('getResults', { docId: doc!.id });
    expect(results[0]!.detections.length).toBeGreaterThan(0);
    expect(
      results.flatMap((r) => r.detections).some((d) => d.label !== undefined || d.group !== undefined),
    ).toBe(false);
    expect(results[0]!.groups).toBeUndefined();
  });
});
