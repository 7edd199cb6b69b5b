// Labels and questions in the app (docs/labels.md): a born-digital form's text layer gives every box its option
// label and question, shown in the detection list and on hover; a person edits a label, regroups boxes under a
// question of their own, undoes and redoes, and the CSV and answers exports (a page's and the batch's) say what
// the person left.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWERS_CSV_HEADER } from '../../src-shared/csv.js';
import type { TextDataset } from '../../scripts/fixtures/text-dataset.js';
import { expect, test } from './support/fixtures.js';
import { ROOT } from './support/processes.js';

const TEXT = join(ROOT, 'tests', 'fixtures', 'text');
const PDF = join(TEXT, 'forms.pdf');
const truth = JSON.parse(readFileSync(join(TEXT, 'truth.json'), 'utf8')) as TextDataset;

/** Rows of a CSV file as cells (quoted cells may hold commas and doubled quotes). */
function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
        .slice(0, -1)
        .map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"')),
    );
}

test('labels from the PDF text layer in the list and on hover; an edited label and a new group survive undo/redo and reach the CSV and answers exports', async ({
  ui,
}) => {
  await ui.open([PDF]);
  await ui.waitUntilDone('forms.pdf');
  await ui.showDoc('forms.pdf');

  // The list shows "question: label" for the boxes the generator wrote (the core reads 99% of them right;
  // case and punctuation aside, as `eval --text` scores them).
  const labels = await ui.listLabels();
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const shown = new Set(labels.map(norm));
  const want = truth.files['forms.pdf']!.find((p) => p.page === 1)!.boxes.map((b) =>
    norm(`${b.question} ${b.label}`),
  );
  expect(want.filter((w) => shown.has(w)).length / want.length).toBeGreaterThanOrEqual(0.9);
  // Hover and a screen reader give the same text as the list.
  expect(await ui.hoverBox(0)).toBe(labels[0]);
  expect(await ui.boxName(0)).toContain(`, ${labels[0]}`);

  // Edit the first box's option label.
  await ui.pickRow(0);
  const first = await ui.labelFields();
  expect(`${first.question}: ${first.label}`).toBe(labels[0]);
  await ui.editLabel('Edited option');
  const edited = [`${first.question}: Edited option`, ...labels.slice(1)];
  await ui.expectListLabels(edited);
  await ui.undo();
  await ui.expectListLabels(labels);
  await ui.redo();
  await ui.expectListLabels(edited);

  // Two more boxes move into a new group, then get their question.
  await ui.pickRow(1);
  await ui.pickRow(2, ['Control']);
  const [, second, third] = labels
    .slice(0, 3)
    .map((l) => (l.includes(': ') ? l.slice(l.indexOf(': ') + 2) : l));
  await ui.moveSelectionToNewGroup();
  await ui.expectListLabels([edited[0]!, second!, third!, ...labels.slice(3)]);
  await ui.editQuestion('Own question');
  const regrouped = [edited[0]!, `Own question: ${second}`, `Own question: ${third}`, ...labels.slice(3)];
  await ui.expectListLabels(regrouped);
  await ui.undo();
  await ui.undo();
  await ui.expectListLabels(edited);
  await ui.redo();
  await ui.redo();
  await ui.expectListLabels(regrouped);

  // The page's CSV (with label, question, group columns) and answers (source, page, question, option, state, confidence).
  const dir = await ui.export('page', ['csv', 'answers']);
  const [header, ...rows] = readCsv(join(dir, 'forms_p1.csv'));
  const col = (name: string) => header!.indexOf(name);
  expect(['label', 'question', 'group'].every((c) => col(c) >= 0)).toBe(true);
  const editedRow = rows.find((r) => r[col('label')] === 'Edited option');
  expect(editedRow?.[col('question')]).toBe(first.question);
  const own = rows.filter((r) => r[col('question')] === 'Own question');
  expect(own.map((r) => r[col('label')])).toEqual([second, third]);
  expect(new Set(own.map((r) => r[col('group')])).size).toBe(1);

  const answers = readCsv(join(dir, 'forms_p1.answers.csv'));
  expect(answers[0]!.join(',')).toBe(ANSWERS_CSV_HEADER);
  expect(
    answers.some(
      (r) => r[0] === 'forms.pdf' && r[1] === '1' && r[2] === first.question && r[3] === 'Edited option',
    ),
  ).toBe(true);
  expect(answers.filter((r) => r[2] === 'Own question').map((r) => r[3])).toEqual([second, third]);
  expect(answers.length - 1).toBe(rows.length); // one answer per box exported

  // The batch's one answers CSV: both pages of the document, with the edits.
  const batchDir = await ui.export('batch', ['answers']);
  const batch = readCsv(join(batchDir, 'batch.answers.csv'));
  expect(batch.slice(1).filter((r) => r[1] === '1')).toEqual(answers.slice(1));
  expect(batch.some((r) => r[1] === '2')).toBe(true);
});
