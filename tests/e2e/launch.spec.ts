// Files named when the app starts — a double-click on a form in the file manager, "Open with", the command
// line — open and are detected with no dialog, like files opened from the app.
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.js';
import { ROOT, coreDetect } from './support/processes.js';

const PNG = join(ROOT, 'tests', 'fixtures', 'page.png');
const TIFF = join(ROOT, 'tests', 'fixtures', 'form-2p.tif');
// A folder named at launch opens like File > Open Folder.
const folder = mkdtempSync(join(tmpdir(), 'cbd-launch-'));
copyFileSync(join(ROOT, 'tests', 'fixtures', 'page.jpg'), join(folder, 'scan.jpg'));

test.use({ launchWith: [PNG, TIFF, folder] });

test('files and a folder named at launch open and are detected as the core detects them', async ({ ui }) => {
  const [[png], tiff] = await Promise.all([coreDetect(PNG), coreDetect(TIFF)]);
  for (const name of ['page.png', 'form-2p.tif', 'scan.jpg']) await ui.waitUntilDone(name);
  await expect(ui.doc('page.png')).toHaveAttribute('data-status', 'done');
  await ui.showDoc('page.png');
  await expect(ui.boxes()).toHaveCount(png!.detections.length);
  await ui.showDoc('form-2p.tif');
  expect(await ui.pageIndicator()).toBe(`Page 1 of ${tiff.length}`);
  await expect(ui.boxes()).toHaveCount(tiff[0]!.detections.length);
});
