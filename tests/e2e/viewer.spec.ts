// Open, view, filter, correct and export — checked against what the core itself finds.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Download } from '@playwright/test';
import sharp from 'sharp';
import { DETECTIONS_CSV_HEADER } from '../../src-shared/csv.js';
import { DEFAULT_CONF, type DetectionResult } from '../../src-shared/result.js';
import { expect, test } from './support/fixtures.js';
import { ROOT, coreDetect } from './support/processes.js';

const PDF = join(ROOT, 'tests', 'fixtures', 'form-3p.pdf');
const PNG = join(ROOT, 'tests', 'fixtures', 'page.png');
const sameBox = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 0.01);

test('a 3-page PDF and a PNG: overlay = core, slider filters without inference, corrections reach PNG/JSON/CSV exports', async ({
  app,
  ui,
}) => {
  const [corePdf, corePng, corePngFloor] = await Promise.all([
    coreDetect(PDF),
    coreDetect(PNG),
    coreDetect(PNG, 0.05),
  ]);
  expect(corePdf).toHaveLength(3);
  const downloads: Download[] = [];
  app.page.on('download', (d) => downloads.push(d));

  await ui.open([PDF, PNG]);
  await ui.waitUntilDone('form-3p.pdf');
  await ui.waitUntilDone('page.png');

  // Every page shows as many boxes as the core finds at the default conf.
  await ui.showDoc('form-3p.pdf');
  for (const [i, result] of corePdf.entries()) {
    if (i > 0) await ui.nextPage();
    expect(await ui.pageIndicator()).toBe(`Page ${i + 1} of 3`);
    await expect(ui.boxes()).toHaveCount(result.detections.length);
  }
  await ui.showDoc('page.png');
  await expect(ui.boxes()).toHaveCount(corePng[0]!.detections.length);

  // The slider only filters: counts follow the core at each conf, and no inference runs.
  const inferences = await ui.inferenceCount();
  expect(inferences).toBe(2);
  const confident = corePng[0]!.detections.filter((d) => d.confidence >= 0.6).length;
  await ui.setConfidence(0.6);
  await expect(ui.boxes()).toHaveCount(confident);
  await ui.setConfidence(0.05);
  await expect(ui.boxes()).toHaveCount(corePngFloor[0]!.detections.length);
  await ui.setConfidence(DEFAULT_CONF);
  await expect(ui.boxes()).toHaveCount(corePng[0]!.detections.length);
  await ui.hideClass('filled');
  await expect(ui.boxes()).toHaveCount(corePng[0]!.counts.empty!);
  await ui.hideClass('filled');
  expect(await ui.inferenceCount()).toBe(inferences);

  // Correct page 1 of the PDF: flip one box, delete another.
  await ui.showDoc('form-3p.pdf');
  const flipped = await ui.selectBox(0);
  await ui.flipSelected();
  const deleted = await ui.selectBox(1);
  await ui.deleteSelected();
  const page1 = corePdf[0]!.detections.length;
  await expect(ui.boxes()).toHaveCount(page1 - 1);
  await expect(ui.page.locator('[data-testid=box][data-corrected=true]')).toHaveCount(1);
  // Undo brings the deleted box back; redo removes it again.
  await ui.undo();
  await expect(ui.boxes()).toHaveCount(page1);
  await ui.page.getByTestId('redo').click();
  await expect(ui.boxes()).toHaveCount(page1 - 1);

  mkdirSync(join(ROOT, 'tests', 'artifacts'), { recursive: true });
  await ui.screenshot(join(ROOT, 'tests', 'artifacts', `viewer-${app.shell}.png`));

  const dir = await ui.export('document', ['png', 'json', 'csv']);
  const files = readdirSync(dir).sort();
  expect(files).toEqual([
    'form-3p.csv',
    'form-3p.json',
    'form-3p_p1.annotated.png',
    'form-3p_p2.annotated.png',
    'form-3p_p3.annotated.png',
  ]);
  if (app.shell === 'web') await expect.poll(() => downloads.length).toBe(files.length);

  // JSON: the flip is there and marked, the deleted box is gone, other pages untouched.
  const json = JSON.parse(readFileSync(join(dir, 'form-3p.json'), 'utf8')) as { results: DetectionResult[] };
  const [p1, p2, p3] = json.results;
  expect(p1!.detections).toHaveLength(page1 - 1);
  const flip = p1!.detections.find((d) => sameBox(d.box, flipped.box));
  expect(flip).toMatchObject({ class: flipped.cls === 'filled' ? 'empty' : 'filled', corrected: true });
  expect(p1!.detections.some((d) => sameBox(d.box, deleted.box))).toBe(false);
  expect(p2!.detections).toHaveLength(corePdf[1]!.detections.length);
  expect(p3!.detections).toHaveLength(corePdf[2]!.detections.length);

  // CSV: one row per exported checkbox; the flipped one says corrected.
  const [header, ...rows] = readFileSync(join(dir, 'form-3p.csv'), 'utf8').trim().split('\n');
  expect(header).toBe(DETECTIONS_CSV_HEADER);
  const cell = (row: string, name: string) => row.split(',')[header!.split(',').indexOf(name)];
  const total = corePdf.reduce((n, r) => n + r.detections.length, 0) - 1;
  expect(rows).toHaveLength(total);
  const corrected = rows.filter((r) => cell(r, 'corrected') === 'true');
  expect(corrected).toHaveLength(1);
  expect(['source', 'page', 'state'].map((c) => cell(corrected[0]!, c))).toEqual(['form-3p.pdf', '1', flip!.class]);

  // PNG: full resolution, one per page.
  const meta = await sharp(join(dir, 'form-3p_p1.annotated.png')).metadata();
  expect([meta.width, meta.height]).toEqual([corePdf[0]!.image.width, corePdf[0]!.image.height]);
});

test('zoom keeps the full-resolution scan; drawing a missed box is a corrected detection that undo removes', async ({
  app,
  ui,
}) => {
  const [core] = await coreDetect(PNG);
  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  await ui.showDoc('page.png');

  // The scan is the page at its own pixel size, laid out (not bitmap-scaled) at the zoom.
  const fitted = await ui.zoomPercent();
  await ui.zoomIn();
  await ui.zoomIn();
  const zoomed = await ui.zoomPercent();
  expect(zoomed).toBeGreaterThan(fitted);
  await ui.pinch(-300);
  expect(await ui.zoomPercent()).toBeGreaterThan(zoomed);
  const size = await ui.pageImageSize();
  expect(size.natural).toEqual([core!.image.width, core!.image.height]);
  const scale = (await ui.zoomPercent()) / 100;
  expect(Math.abs(size.shown[0] - size.natural[0] * scale)).toBeLessThan(size.natural[0] * 0.01);
  await ui.fitPage();
  expect(await ui.zoomPercent()).toBe(fitted);

  const n = core!.detections.length;
  await ui.drawBox('filled', [0.45, 0.9], [0.5, 0.93]);
  await expect(ui.boxes()).toHaveCount(n + 1);
  const drawn = app.page.locator('[data-testid=box][data-corrected=true]');
  await expect(drawn).toHaveAttribute('data-class', 'filled');
  await expect(drawn).toHaveAttribute('data-review', 'corrected');
  // A drawn box has no model confidence: the list says so rather than 100.0%.
  const drawnIndex = await drawn.getAttribute('data-index');
  const row = app.page.locator(`[data-testid=detection-row][data-index="${drawnIndex}"]`);
  await expect(row).toContainText('drawn');
  await expect(row).not.toContainText('100.0%');
  await ui.undo();
  await expect(ui.boxes()).toHaveCount(n);
});
