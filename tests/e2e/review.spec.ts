// The review station, driven as a reviewer does: by keyboard through the boxes that need a look, bulk
// corrections on a selection, the shortcut list, and a page image that always belongs to the boxes on it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DETECTIONS_CSV_HEADER } from '../../src-shared/csv.js';
import { readingOrder } from '../../src-shared/reading-order.js';
import type { DetectionResult } from '../../src-shared/result.js';
import type { BoxView } from './support/app-page.js';
import { expect, test } from './support/fixtures.js';
import { ROOT, coreDetect } from './support/processes.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures');
const PNG = join(FIXTURES, 'page.png');
const PDF = join(FIXTURES, 'form-3p.pdf');
const TIF = join(FIXTURES, 'form-2p.tif'); // 25 and 33 boxes
const SHOTS = join(ROOT, 'tests', 'artifacts');
const key = (b: BoxView) => b.box.map((v) => v.toFixed(1)).join(',');
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 0.05);

/** The lowest slider value at which at least `n` of the core's boxes sit just above it (borderline). */
function borderlineThreshold(result: DetectionResult, n: number): number {
  for (let t = 0.05; t < 0.9; t += 0.01) {
    const conf = Number(t.toFixed(2));
    const close = result.detections.filter((d) => d.confidence >= conf && d.confidence < conf + 0.1);
    if (close.length >= n) return conf;
  }
  throw new Error(`no slider value puts ${n} boxes near the threshold`);
}

test('keyboard-only review of a generated page: N walks the needs-a-look boxes in order, F/Enter/Del apply, progress and exports follow', async ({
  app,
  ui,
}) => {
  const [floor] = await coreDetect(PNG, 0.05);
  const threshold = borderlineThreshold(floor!, 4);
  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  await ui.showDoc('page.png');
  await ui.setConfidence(threshold);

  const before = await ui.boxViews();
  const look = before.filter((b) => b.look);
  // Every box just above the slider needs a look (among other reasons the app may find).
  const borderline = floor!.detections.filter((d) => d.confidence >= threshold && d.confidence < threshold + 0.1);
  for (const d of borderline) expect(look.some((b) => near(b.box, d.box)), `borderline box ${d.box}`).toBe(true);
  const expected = readingOrder(before)
    .map((k) => before[k]!)
    .filter((b) => b.look);
  expect((await ui.reviewProgress()).text).toBe(`reviewed 0 of ${before.length} · ${look.length} need a look`);

  // Focus lands on the page, then only keys: the first is flipped, the second deleted, the rest accepted.
  await ui.focusPage();
  const fitted = await ui.zoomPercent();
  const flippedKey = key(expected[0]!);
  const deletedKey = key(expected[1]!);
  for (const [k, want] of expected.entries()) {
    await ui.press('n');
    const [sel] = await ui.selectedBoxes();
    expect(sel && key(sel), `N #${k + 1}`).toBe(key(want));
    expect(await ui.focusedBoxIndex()).toBe(sel!.index);
    if (k === 0) {
      expect(await ui.zoomPercent()).toBeGreaterThan(fitted); // centred and zoomed on it
      await expect(ui.page.getByTestId('loupe')).toBeVisible();
      await ui.press('f');
    } else if (k === 1) await ui.press('Delete');
    else await ui.press('Enter');
    const p = await ui.reviewProgress();
    expect(p.look).toBe(look.length - k - 1);
    expect(p.reviewed).toBe(k === 0 ? 1 : k); // the deleted box leaves the count
    expect(p.total).toBe(before.length - (k >= 1 ? 1 : 0));
  }
  expect((await ui.reviewProgress()).text).toBe(
    `reviewed ${look.length - 1} of ${before.length - 1} · 0 need a look`,
  );
  // The flipped box took the model's own score for its new state, not the old state's confidence.
  const after = await ui.boxViews();
  const flip = after.find((b) => key(b) === flippedKey)!;
  expect(flip).toMatchObject({ cls: expected[0]!.cls === 'filled' ? 'empty' : 'filled', review: 'corrected' });
  expect(after.some((b) => key(b) === deletedKey)).toBe(false);
  await expect(ui.detectionRows()).toHaveCount(after.length);

  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
  ] as const) {
    mkdirSync(SHOTS, { recursive: true });
    await ui.page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await ui.page.emulateMedia({ colorScheme: scheme });
      await ui.screenshot(join(SHOTS, `review-${scheme}-${w}x${h}-${app.shell}.png`));
    }
  }
  await ui.page.emulateMedia({ colorScheme: 'light' });
  await ui.page.setViewportSize({ width: 1400, height: 860 });

  // Exports carry each box's review state, in reading order.
  const dir = await ui.export('page', ['json', 'csv']);
  const json = JSON.parse(readFileSync(join(dir, 'page.json'), 'utf8')) as DetectionResult;
  const reviewOf = (b: BoxView) => json.detections.find((d) => near(d.box, b.box))?.review;
  const flipOut = json.detections.find((d) => near(d.box, flip.box))!;
  expect(flipOut).toMatchObject({ class: flip.cls, review: 'corrected', corrected: true });
  expect(flipOut.confidence).toBe(flipOut.scores![flip.cls]);
  for (const b of expected.slice(2)) expect(reviewOf(b)).toBe('accepted');
  for (const b of after.filter((x) => !x.look)) expect(reviewOf(b)).toBe('unreviewed');
  expect(json.detections.map((d) => d.box)).toEqual(readingOrder(json.detections).map((i) => json.detections[i]!.box));
  const [header, ...rows] = readFileSync(join(dir, 'page_p1.csv'), 'utf8').trim().split('\n');
  expect(header).toBe(DETECTIONS_CSV_HEADER);
  const cell = (row: string, name: string) => row.split(',')[header!.split(',').indexOf(name)];
  expect(rows.map((r) => cell(r, 'review'))).toEqual(json.detections.map((d) => d.review));
  expect(cell(rows[0]!, 'path')).toMatch(/page\.png$/);
});

test('multi-select: Shift-click 20 boxes, F flips them all, one undo restores them; drag and Ctrl+A select, Del deletes', async ({
  ui,
}) => {
  await ui.open([TIF]);
  await ui.waitUntilDone('form-2p.tif');
  await ui.showDoc('form-2p.tif');
  await ui.setConfidence(0.05);
  await ui.focusPage();
  const before = await ui.boxViews();
  expect(before.length).toBeGreaterThanOrEqual(20);

  await ui.clickBox(0);
  await ui.clickBox(19, ['Shift']);
  const chosen = await ui.selectedBoxes();
  expect(chosen.map((b) => b.index)).toEqual(before.slice(0, 20).map((b) => b.index));
  await ui.press('f');
  const flippedAll = await ui.boxViews();
  for (const [k, b] of before.entries()) {
    const flipped = b.cls === 'filled' ? 'empty' : 'filled';
    expect(flippedAll[k]!.cls, `box ${k}`).toBe(k < 20 ? flipped : b.cls);
  }
  await ui.press('Control+z');
  expect((await ui.boxViews()).map((b) => b.cls)).toEqual(before.map((b) => b.cls));

  // Ctrl-click takes one box out of a selection.
  await ui.clickBox(0);
  await ui.clickBox(1, ['Control']);
  await ui.clickBox(2, ['Control']);
  await ui.clickBox(1, ['Control']);
  expect((await ui.selectedBoxes()).map((b) => b.index)).toEqual([before[0]!.index, before[2]!.index]);

  // A rectangle over the top half selects exactly the boxes it touches.
  await ui.dragSelect([0.001, 0.001], [0.999, 0.5]);
  const img = (await ui.pageImage().evaluate((el) => (el as HTMLImageElement).naturalHeight)) as number;
  const topHalf = before.filter((b) => b.box[1] < img * 0.5).map((b) => b.index);
  expect((await ui.selectedBoxes()).map((b) => b.index).sort()).toEqual(topHalf.sort());

  await ui.press('Control+a');
  expect(await ui.selectedBoxes()).toHaveLength(before.length);
  await ui.press('Delete');
  await expect(ui.boxes()).toHaveCount(0);
  await ui.press('Control+z');
  await expect(ui.boxes()).toHaveCount(before.length);
});

test('? lists the shortcuts; Home/End go to the first/last page; one Ctrl+wheel notch is one zoom step', async ({
  ui,
}) => {
  await ui.open([PDF]);
  await ui.waitUntilDone('form-3p.pdf');
  await ui.showDoc('form-3p.pdf');
  await ui.press('?');
  const dialog = ui.shortcutsDialog();
  await expect(dialog).toBeVisible();
  for (const k of ['N / Shift+N', 'F', 'Home / End', 'Ctrl+A']) await expect(dialog.getByText(k, { exact: true })).toBeVisible();
  await ui.press('Escape');
  await expect(dialog).toBeHidden();

  await ui.press('End');
  await expect(ui.page.getByTestId('page-indicator')).toHaveText('Page 3 of 3');
  await ui.press('Home');
  await expect(ui.page.getByTestId('page-indicator')).toHaveText('Page 1 of 3');

  const fitted = await ui.zoomPercent();
  await expect(ui.page.getByTestId('overview')).toBeHidden();
  await ui.pinch(-100);
  expect(await ui.zoomPercent()).toBe(Math.round(fitted * 1.25));
  await expect(ui.page.getByTestId('overview')).toBeVisible(); // the whole page in small when zoomed
  await ui.pinch(100);
  expect(Math.abs((await ui.zoomPercent()) - fitted)).toBeLessThanOrEqual(1);
});

test('no stale image: opening a big scan after a small one never shows the small page under the new boxes', async ({
  ui,
}) => {
  // A big scan: the generated page at 4x, so its detection and page image take a while.
  const big = join(mkdtempSync(join(tmpdir(), 'cbd-big-')), 'big-scan.png');
  const meta = await sharp(PNG).metadata();
  await sharp(PNG).resize(meta.width! * 4, meta.height! * 4).png().toFile(big);

  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  await ui.showDoc('page.png');
  // Every frame from now on: while boxes are on screen, the image under them must be the open document's.
  await ui.page.evaluate((bigWidth) => {
    const w = window as unknown as { stale: string[]; bigFrames: number };
    w.stale = [];
    w.bigFrames = 0;
    const check = () => {
      const active = document.querySelector('[data-testid=doc-item].active')?.getAttribute('data-name');
      const img = document.querySelector<HTMLImageElement>('[data-testid=page-image]');
      const boxes = document.querySelectorAll('[data-testid=box]').length;
      if (active === 'big-scan.png' && boxes > 0) {
        w.bigFrames++;
        if (img && img.naturalWidth > 0 && img.naturalWidth !== bigWidth) w.stale.push(`${img.naturalWidth}px image`);
        if (!img) w.stale.push('boxes without an image');
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, meta.width! * 4);
  await ui.open([big]);
  await ui.waitUntilDone('big-scan.png');
  await expect(ui.pageImage()).toHaveJSProperty('naturalWidth', meta.width! * 4);
  await expect(ui.boxes().first()).toBeVisible();
  const seen = await ui.page.evaluate(() => {
    const w = window as unknown as { stale: string[]; bigFrames: number };
    return { stale: w.stale, bigFrames: w.bigFrames };
  });
  expect(seen.bigFrames).toBeGreaterThan(0);
  expect(seen.stale).toEqual([]);
});

test('Cloud with no endpoint does not switch: it says why and opens Settings', async ({ ui }) => {
  await ui.page.getByTestId('engine-cloud').click();
  await expect(ui.notice()).toHaveAttribute('data-kind', 'error');
  await expect(ui.page.getByTestId('notice-text')).toContainText('no endpoint');
  await expect(ui.page.getByTestId('engine-local')).toHaveAttribute('aria-checked', 'true');
  await ui.page.getByTestId('notice-settings').click();
  await expect(ui.page.getByTestId('settings-dialog')).toBeVisible();
});

test('a multi-page document shows page thumbnails that open their page', async ({ ui }) => {
  await ui.open([PDF]);
  await ui.waitUntilDone('form-3p.pdf');
  await ui.showDoc('form-3p.pdf');
  const thumbs = ui.page.getByTestId('page-thumb');
  await expect(thumbs).toHaveCount(3);
  await expect(thumbs.nth(2).locator('img')).toHaveJSProperty('complete', true);
  await thumbs.nth(2).click();
  await expect(ui.page.getByTestId('page-indicator')).toHaveText('Page 3 of 3');
  await expect(thumbs.nth(2)).toHaveAttribute('aria-current', 'page');

  // Marking the document reviewed accepts every box on every page.
  await ui.page.getByTestId('mark-doc-reviewed').click();
  const p = await ui.reviewProgress();
  expect(p.total).toBeGreaterThan(0);
  expect(p).toMatchObject({ reviewed: p.total, look: 0 });
  for (const k of [0, 1, 2]) await expect(thumbs.nth(k)).toContainText('✓');
});

test('at 1280x720 with the batch panel open the page keeps most of the height and nothing scrolls sideways', async ({
  ui,
}) => {
  await ui.page.setViewportSize({ width: 1280, height: 720 });
  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  await ui.showDoc('page.png');
  await ui.showBatchPanel();
  const viewer = (await ui.page.getByTestId('viewer').boundingBox())!;
  expect(viewer.height).toBeGreaterThanOrEqual(460);
  const inspector = ui.page.getByTestId('inspector');
  expect(await inspector.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
  mkdirSync(SHOTS, { recursive: true });
  await ui.screenshot(join(SHOTS, 'review-batch-1280x720.png'));
});

test('opening the same file twice brings back its entry instead of adding another', async ({ ui }) => {
  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  await ui.open([PNG]);
  await expect(ui.page.getByTestId('notice-text')).toHaveText('That file is already open.');
  await expect(ui.doc('page.png')).toHaveCount(1);
  expect(await ui.inferenceCount()).toBe(1);
});

test('files open in natural order, and long similar names stay tellable apart', async ({ ui }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cbd-names-'));
  const names = [10, 2, 1].map((n) => `Page-${n}-Image-1-scanned-at-the-front-desk.bmp`);
  for (const n of names) copyFileSync(join(FIXTURES, 'page.bmp'), join(dir, n));
  await ui.open(names.map((n) => join(dir, n)));
  const items = ui.page.getByTestId('doc-item');
  await expect(items).toHaveCount(3);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([
    names[2],
    names[1],
    names[0],
  ]);
  const shown = await ui.page.getByTestId('doc-name').allTextContents();
  expect(new Set(shown).size).toBe(3);
});
