// A user's model with classes unchecked, checked, crossed in the app: each class counted, drawn in its own
// colour and keyed by a legend; flipping a box moves it to the next class.
import { rmSync } from 'node:fs';
import { THREE_CLASSES, THREE_CLASS_COUNTS, threeClassFixture } from '../helpers/three-class-model.js';
import { expect, test } from './support/fixtures.js';

test('a three-class model: counts, colours and legend by class, flip cycles the classes', async ({
  app,
  ui,
}) => {
  const fx = await threeClassFixture();
  const dialog = await ui.openSettings();
  await expect(await ui.chooseModel(dialog, fx.modelPath)).toContainText('unchecked, checked, crossed');
  await dialog.getByTestId('settings-save').click();
  await expect(dialog).toBeHidden();

  await ui.open([fx.pagePath]);
  await ui.waitUntilDone('page.png');
  await ui.showDoc('page.png');
  await expect(ui.boxes()).toHaveCount(THREE_CLASS_COUNTS.total);
  for (const c of THREE_CLASSES) {
    await expect(app.page.getByTestId(`count-page-${c}`)).toHaveText(
      String(THREE_CLASS_COUNTS[c as keyof typeof THREE_CLASS_COUNTS]),
    );
  }
  await expect(app.page.getByTestId('class-legend')).toHaveText(THREE_CLASSES.join(''));
  await expect(app.page.getByTestId('announcer')).toHaveText(
    'page.png: 4 boxes: 1 unchecked, 1 checked, 2 crossed',
  );
  // Okabe-Ito: blue dashed, vermillion, bluish green.
  const stroke = (c: string) =>
    ui
      .boxes()
      .and(app.page.locator(`[data-class=${c}]`))
      .first()
      .evaluate((el) => getComputedStyle(el).stroke);
  expect(await Promise.all(THREE_CLASSES.map(stroke))).toEqual([
    'rgb(0, 114, 178)',
    'rgb(213, 94, 0)',
    'rgb(0, 158, 115)',
  ]);

  const picked = await ui.selectBox(3); // the second crossed box
  expect(picked.cls).toBe('crossed');
  await ui.flipSelected();
  await expect(app.page.getByTestId('count-page-unchecked')).toHaveText('2');
  await expect(app.page.getByTestId('count-page-crossed')).toHaveText('1');
  rmSync(fx.dir, { recursive: true, force: true });
});
