// Batches: progress to 100%, one bad file reported without stopping the rest, a summary that
// matches the core, and cancel that keeps what already finished.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from './support/fixtures.js';
import { ROOT, coreDetect } from './support/processes.js';

const SOURCES = ['page.png', 'page.jpg', 'page.webp', 'page.bmp', 'form-2p.tif'].map((f) =>
  join(ROOT, 'tests', 'fixtures', f),
);

/** `good` copies of the fixtures (named to sort in order), plus one corrupt PNG when asked. */
function makeBatch(
  good: number,
  corrupt: boolean,
  sources: string[] = SOURCES,
): { files: string[]; sourceOf: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'cbd-batch-'));
  const sourceOf = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < good; i++) {
    const src = sources[i % sources.length]!;
    const name = `f${String(i + 1).padStart(2, '0')}-${basename(src)}`;
    copyFileSync(src, join(dir, name));
    sourceOf.set(name, src);
    files.push(join(dir, name));
  }
  if (corrupt) {
    const broken = join(dir, 'f10-broken.png');
    writeFileSync(broken, readFileSync(SOURCES[0]!).subarray(0, 400)); // a PNG cut off mid-stream
    files.splice(9, 0, broken);
  }
  return { files, sourceOf };
}

test('a batch of 20 files with one corrupt: 100%, 19 results and one clear error, the summary matches the core', async ({
  ui,
}) => {
  const { files, sourceOf } = makeBatch(19, true);
  expect(files).toHaveLength(20);
  const core = new Map(await Promise.all(SOURCES.map(async (s) => [s, await coreDetect(s)] as const)));

  await ui.open(files);
  await ui.showBatchPanel();
  await expect(ui.batchPercent()).toHaveText('100%', { timeout: 500_000 });
  await expect(ui.batchRows()).toHaveCount(20);
  await expect(ui.page.locator('[data-testid=batch-row][data-status=done]')).toHaveCount(19);
  await expect(ui.page.locator('[data-testid=batch-row][data-status=error]')).toHaveCount(1);
  await expect(ui.batchErrors()).toHaveCount(1);
  await expect(ui.batchErrors().first()).toContainText('f10-broken.png');
  const status = await ui.batchStatus();
  const broken = status.items.find((i) => i.name === 'f10-broken.png')!;
  expect(broken.error?.code).toMatch(/corrupt_image|unsupported_type/);
  expect(broken.error?.message.length).toBeGreaterThan(10);

  // Each summary row: pages, boxes, empty and filled as the core counts them for that file.
  for (const [name, src] of sourceOf) {
    const results = core.get(src)!;
    const want = results.reduce(
      (a, r) => ({
        total: a.total + r.counts.total,
        empty: a.empty + r.counts.empty!,
        filled: a.filled + r.counts.filled!,
      }),
      { total: 0, empty: 0, filled: 0 },
    );
    const row = ui.page.locator(`[data-testid=batch-row][data-name="${name}"]`);
    await expect(row.locator('[data-col=pages]')).toHaveText(String(results.length));
    await expect(row.locator('[data-col=total]')).toHaveText(String(want.total));
    await expect(row.locator('[data-col=empty]')).toHaveText(String(want.empty));
    await expect(row.locator('[data-col=filled]')).toHaveText(String(want.filled));
  }
});

test('cancelling a batch half-way keeps the finished results', async ({ ui }) => {
  // 3-page PDFs, so that on a fast machine the batch is still running when cancel is pressed.
  const count = 40;
  const pdf = join(ROOT, 'tests', 'fixtures', 'form-3p.pdf');
  const { files } = makeBatch(count, false, [pdf]);
  await ui.open(files);
  await ui.showBatchPanel();
  await expect
    .poll(async () => (await ui.batchStatus()).finished, { timeout: 400_000, intervals: [100] })
    .toBeGreaterThanOrEqual(3);
  await ui.cancelBatch();
  await expect(ui.page.getByTestId('batch-cancel')).toBeDisabled();

  const after = await ui.batchStatus();
  expect(after.running).toBe(false);
  const done = after.items.filter((i) => i.status === 'done');
  const cancelled = after.items.filter((i) => i.status === 'cancelled');
  expect(done.length).toBeGreaterThanOrEqual(3);
  expect(done.length).toBeLessThan(count);
  expect(done.length + cancelled.length).toBe(count);
  // The finished ones keep their results and stay viewable.
  for (const d of done) {
    expect(d.counts?.total).toBeGreaterThan(0);
    expect((await ui.app.call<unknown[]>('getResults', { docId: d.id })).length).toBe(d.pages);
  }
  // The viewer shows a finished document's first page, as the core finds it.
  const [firstPage] = await coreDetect(pdf);
  await ui.showDoc(done[0]!.name);
  await expect(ui.boxes()).toHaveCount(firstPage!.detections.length);

  // The header says the batch was cancelled, not "Finished"; the totals line adds up the rows.
  await expect(ui.page.getByTestId('batch-current')).toHaveText(
    `Cancelled · ${done.length} finished, ${cancelled.length} not run`,
  );
  const totals = ui.page.getByTestId('batch-totals');
  await expect(totals.locator('[data-col=pages]')).toHaveText(String(done.length * 3));
  await expect(totals.locator('[data-col=total]')).toHaveText(
    String(done.reduce((n, d) => n + d.counts!.total, 0)),
  );
  // One Retry runs every cancelled file.
  await ui.page.getByTestId('batch-retry').click();
  await expect(ui.batchPercent()).toHaveText('100%', { timeout: 500_000 });
  await expect(ui.page.locator('[data-testid=batch-row][data-status=done]')).toHaveCount(count);
  await expect(ui.page.getByTestId('batch-retry')).toBeHidden();
});

test('a new batch replaces the table rows; earlier documents stay in the sidebar', async ({ ui }) => {
  const first = makeBatch(2, false).files;
  const second = makeBatch(1, false, [SOURCES[2]!]).files;
  await ui.open(first);
  await ui.showBatchPanel();
  await expect(ui.batchPercent()).toHaveText('100%', { timeout: 300_000 });
  await expect(ui.batchRows()).toHaveCount(2);

  await ui.open(second);
  await ui.showBatchPanel();
  await ui.waitUntilDone(basename(second[0]!));
  await expect(ui.batchRows()).toHaveCount(1);
  await expect(ui.batchRows().first()).toHaveAttribute('data-name', basename(second[0]!));
  // Header and totals line count the rows shown, not the session.
  await expect(ui.page.getByTestId('batch-summary-line')).toHaveText('1 of 1 files');
  await expect(ui.batchPercent()).toHaveText('100%');
  const [row] = (await ui.batchStatus()).items.filter((i) => i.name === basename(second[0]!));
  const totals = ui.page.getByTestId('batch-totals');
  await expect(totals.locator('td').first()).toHaveText('1 files');
  await expect(totals.locator('[data-col=total]')).toHaveText(String(row!.counts!.total));
  for (const f of [...first, ...second]) await expect(ui.doc(basename(f))).toHaveCount(1);
});
